package io.github.nsqspring.core.consumer;

import java.util.Collection;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The messages read and not yet taken by a handler worker: reader threads offer, workers
 * take. Its size is bounded by RDY, so it needs no bound of its own.
 * <p>
 * Lock-free on the way of a message, unlike a {@code LinkedBlockingQueue}, whose two
 * locks a reader and a worker took in turn for every message, waking each other when they
 * met. Here a worker with nothing to take counts itself as waiting, looks once more, then
 * waits for a wake-up; a reader hands out a wake-up only while some worker is waiting.
 * Each side writes before it reads what the other wrote (the offer before the waiting
 * count, the count before the second look), so at least one of them sees the other: no
 * message stays queued while every worker sleeps. Wake-ups are permits, not addressed to
 * one worker: one meant for a worker that found a message on its second look wakes the
 * next worker to wait, which then finds nothing and waits again. There are never more of
 * them than waiting workers (give or take readers racing), so a burst offered while a
 * worker sleeps wakes it once.
 * <p>
 * A reader queues the messages of one socket read {@linkplain #offerQuietly quietly} and
 * wakes the workers when it has handed them all over ({@link #wake(int)}), before it
 * waits for the socket again: the order (offers, then the waiting count) is the same, so
 * nothing stays queued while every worker sleeps for longer than the reader takes to
 * split what it read into messages.
 */
final class DeliveryQueue {

	private final ConcurrentLinkedQueue<Delivery> items = new ConcurrentLinkedQueue<>();

	private final AtomicInteger waiting = new AtomicInteger();

	private final Semaphore wakeUps = new Semaphore(0);

	/**
	 * Queue a delivery and wake a waiting worker for it.
	 * @param delivery the delivery
	 */
	void offer(Delivery delivery) {
		this.items.offer(delivery);
		wake(1);
	}

	/**
	 * Queue a delivery without waking anyone: the caller calls {@link #wake(int)} once
	 * its batch is queued. A connection's reader queues the messages of one socket read
	 * this way, so that a sleeping worker is woken once for them and finds them all
	 * (woken at the first, it would run dry and wait again several times per read,
	 * flushing its answers each time).
	 * @param delivery the delivery
	 */
	void offerQuietly(Delivery delivery) {
		this.items.offer(delivery);
	}

	/**
	 * Wake up to {@code count} waiting workers, after deliveries were queued.
	 * @param count how many deliveries were queued
	 */
	void wake(int count) {
		// no more wake-ups than waiting workers: a burst queued while a worker sleeps
		// wakes it once, not once per message
		int waiters = this.waiting.get();
		if (waiters > 0) {
			int missing = Math.min(count, waiters - this.wakeUps.availablePermits());
			if (missing > 0) {
				this.wakeUps.release(missing);
			}
		}
	}

	Delivery poll() {
		return this.items.poll();
	}

	/**
	 * Take the oldest delivery, waiting for one.
	 * @return the delivery
	 * @throws InterruptedException when the worker is interrupted while waiting
	 */
	Delivery take() throws InterruptedException {
		while (true) {
			Delivery delivery = this.items.poll();
			if (delivery != null) {
				return delivery;
			}
			this.waiting.incrementAndGet();
			try {
				delivery = this.items.poll();
				if (delivery != null) {
					return delivery;
				}
				this.wakeUps.acquire();
			}
			finally {
				this.waiting.decrementAndGet();
			}
		}
	}

	/**
	 * Move every delivery not yet taken into {@code target}.
	 * @param target where to add them
	 */
	void drainTo(Collection<Delivery> target) {
		Delivery delivery;
		while ((delivery = this.items.poll()) != null) {
			target.add(delivery);
		}
	}

}
