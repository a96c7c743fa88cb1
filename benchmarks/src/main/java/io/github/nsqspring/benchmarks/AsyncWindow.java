package io.github.nsqspring.benchmarks;

import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

import io.github.nsqspring.benchmarks.client.BenchClient.Publisher;

/**
 * Asynchronous publishing with at most {@code outstanding} publishes unanswered, from one
 * caller. Each of the {@code outstanding} slots owns a body and its completion callback,
 * so the harness allocates nothing per message but what attaching a callback to the
 * client's future costs (what any caller of an asynchronous API pays): message {@code n}
 * uses slot {@code n % outstanding} once the message before it in that slot was answered.
 * Bodies are only rewritten after their publish was answered, whatever the order answers
 * arrive in.
 */
final class AsyncWindow {

	private static final long ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

	private final Slot[] slots;

	private final LatencyHistogram latency;

	private final AtomicLong acknowledged;

	private final Queue<Throwable> errors;

	/** The publishing thread. */
	private Thread publisher;

	/** The slot the publishing thread waits for, else {@code null}. */
	private volatile Slot awaited;

	/**
	 * A window.
	 * @param outstanding most publishes unanswered
	 * @param size body size
	 * @param latency where publish → answer latencies go
	 * @param acknowledged counts answered publishes
	 * @param errors where failed publishes go
	 */
	AsyncWindow(int outstanding, int size, LatencyHistogram latency, AtomicLong acknowledged, Queue<Throwable> errors) {
		this.slots = new Slot[outstanding];
		for (int i = 0; i < outstanding; i++) {
			this.slots[i] = new Slot(BodyCodec.encode(0, 0, size));
		}
		this.latency = latency;
		this.acknowledged = acknowledged;
		this.errors = errors;
	}

	/**
	 * Publish messages {@code 0 .. total - 1}, then wait for every answer. Stops at the
	 * first failure (it is in the error queue).
	 * @param publisher the client
	 * @param topic the topic
	 * @param total how many
	 */
	void publishAll(Publisher publisher, String topic, long total) {
		this.publisher = Thread.currentThread();
		for (long seq = 0; seq < total && this.errors.isEmpty(); seq++) {
			Slot slot = this.slots[(int) (seq % this.slots.length)];
			if (!awaitAnswered(slot)) {
				return;
			}
			BodyCodec.rewrite(slot.body, seq, 0);
			slot.busy = true;
			slot.startNanos = System.nanoTime();
			try {
				publisher.publishAsync(topic, slot.body).whenComplete(slot);
			}
			catch (RuntimeException ex) {
				slot.busy = false;
				throw ex;
			}
		}
		for (Slot slot : this.slots) {
			if (!awaitAnswered(slot)) {
				return;
			}
		}
	}

	private boolean awaitAnswered(Slot slot) {
		if (!slot.busy) {
			return true;
		}
		long deadline = System.nanoTime() + ANSWER_TIMEOUT_NANOS;
		this.awaited = slot;
		try {
			while (slot.busy) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					this.errors.add(new IllegalStateException(
							"no answer for 60s with " + this.slots.length + " publishes outstanding"));
					return false;
				}
				LockSupport.parkNanos(this, left);
			}
			return true;
		}
		finally {
			this.awaited = null;
		}
	}

	/**
	 * One outstanding publish: its body, when it was sent, and its completion callback.
	 */
	private final class Slot implements BiConsumer<Object, Throwable> {

		final byte[] body;

		volatile boolean busy;

		long startNanos;

		Slot(byte[] body) {
			this.body = body;
		}

		@Override
		public void accept(Object result, Throwable failure) {
			if (failure != null) {
				AsyncWindow.this.errors.add(failure);
			}
			else {
				AsyncWindow.this.latency.record(System.nanoTime() - this.startNanos);
				AsyncWindow.this.acknowledged.incrementAndGet();
			}
			this.busy = false;
			if (AsyncWindow.this.awaited == this) {
				LockSupport.unpark(AsyncWindow.this.publisher);
			}
		}

	}

}
