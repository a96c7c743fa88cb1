package io.github.nsqspring.core.producer;

import java.util.concurrent.Executor;

import io.github.nsqspring.core.NsqException;

/**
 * What the FIFO of an {@link NsqdSession} holds: one command's worth of callers to answer
 * when nsqd answers that command.
 */
interface PendingCommand {

	/** Messages the command publishes. */
	int messages();

	/** Pending-command permits its callers hold. */
	int permits();

	/** nsqd answered OK: complete the callers' futures (on the executor, if any). */
	void succeed(Executor executor);

	/** The command failed: fail the callers' futures (on the executor, if any). */
	void fail(NsqException failure, boolean published, Executor executor);

}
