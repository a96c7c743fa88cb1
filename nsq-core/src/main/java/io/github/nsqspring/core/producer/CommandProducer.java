package io.github.nsqspring.core.producer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.github.nsqspring.core.protocol.NsqCommand;

/**
 * The publish methods every producer shares: build the command and check it against
 * nsqd's limits (bad input fails here, in the returned future, for its caller only), then
 * hand it to {@link #submit}.
 */
abstract class CommandProducer implements NsqProducer {

	private final Commands commands;

	private final long syncWaitSpinNanos;

	private final PollAdvice publishPolls = new PollAdvice();

	private final PollAdvice multiPublishPolls = new PollAdvice();

	private final PollAdvice deferredPublishPolls = new PollAdvice();

	/**
	 * Messages whose publish failed for their caller ({@link ProducerStats#failed()}).
	 * Shared by a balancing producer with its nodes, which count the failures they
	 * complete; the balancing producer takes back those it then published elsewhere.
	 * Touched on failure paths only.
	 */
	final AtomicLong failedPublishes;

	CommandProducer(ProducerSettings settings) {
		this(settings, new AtomicLong());
	}

	CommandProducer(ProducerSettings settings, AtomicLong failedPublishes) {
		this.commands = new Commands(settings);
		this.syncWaitSpinNanos = settings.producer().getSyncWaitSpin().toNanos();
		this.failedPublishes = failedPublishes;
	}

	@Override
	public PublishResult publish(String topic, byte[] body) {
		return Futures.await(publishAsync(topic, body), this.syncWaitSpinNanos, this.publishPolls);
	}

	@Override
	public PublishResult multiPublish(String topic, List<byte[]> bodies) {
		return Futures.await(multiPublishAsync(topic, bodies), this.syncWaitSpinNanos, this.multiPublishPolls);
	}

	@Override
	public PublishResult deferredPublish(String topic, Duration delay, byte[] body) {
		return Futures.await(deferredPublishAsync(topic, delay, body), this.syncWaitSpinNanos,
				this.deferredPublishPolls);
	}

	@Override
	public CompletableFuture<PublishResult> publishAsync(String topic, byte[] body) {
		try {
			this.commands.checkPub(topic, body);
		}
		catch (RuntimeException ex) {
			return PendingPublish.failed(ex);
		}
		return submit(null, topic, 1, body);
	}

	@Override
	public CompletableFuture<PublishResult> multiPublishAsync(String topic, List<byte[]> bodies) {
		NsqCommand command;
		try {
			command = this.commands.mpub(topic, bodies);
		}
		catch (RuntimeException ex) {
			return PendingPublish.failed(ex);
		}
		return submit(command, topic, command.messageCount(), null);
	}

	@Override
	public CompletableFuture<PublishResult> deferredPublishAsync(String topic, Duration delay, byte[] body) {
		NsqCommand command;
		try {
			command = this.commands.dpub(topic, delay, body);
		}
		catch (RuntimeException ex) {
			return PendingPublish.failed(ex);
		}
		return submit(command, topic, 1, null);
	}

	/**
	 * The checks and lines of this producer's commands.
	 * @return the commands
	 */
	final Commands commands() {
		return this.commands;
	}

	/**
	 * Send a checked command.
	 * @param command the command, or {@code null} for a PUB of {@code pubBody}, which may
	 * then travel in an MPUB with other PUBs to the same topic
	 * @param topic its topic
	 * @param messageCount the messages it publishes
	 * @param pubBody the PUB's message when {@code command} is {@code null}
	 * @return the future of nsqd's answer
	 */
	abstract CompletableFuture<PublishResult> submit(NsqCommand command, String topic, int messageCount,
			byte[] pubBody);

}
