package io.github.nsqspring.core.producer;

import java.util.List;
import java.util.concurrent.Executor;

import io.github.nsqspring.core.NsqException;

/**
 * PUBs to one topic sent together as one MPUB: nsqd answers once for all of them (one
 * write, one answer instead of one each), which is where most of nsqd's cost per PUB
 * goes. Each caller still gets its own result. MPUB is atomic, so the messages are
 * published all together or not at all.
 */
final class CoalescedBatch implements Runnable, PendingCommand {

	private final NsqdSession session;

	final List<PendingPublish> members;

	boolean enqueued;

	long sequence;

	CoalescedBatch(NsqdSession session, List<PendingPublish> members) {
		this.session = session;
		this.members = members;
	}

	@Override
	public void run() {
		for (PendingPublish member : this.members) {
			member.maybePublished = true;
			member.enqueued = true;
		}
		this.sequence = this.session.enqueue(this);
		this.enqueued = true;
	}

	@Override
	public int messages() {
		return this.members.size();
	}

	@Override
	public int permits() {
		return this.members.size();
	}

	@Override
	public void succeed(String address, Executor executor) {
		for (PendingPublish member : this.members) {
			member.succeed(address, executor);
		}
	}

	@Override
	public void fail(NsqException failure, boolean published, Executor executor) {
		for (PendingPublish member : this.members) {
			member.fail(failure, published, executor);
		}
	}

}
