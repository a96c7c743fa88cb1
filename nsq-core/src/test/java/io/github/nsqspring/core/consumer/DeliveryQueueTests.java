package io.github.nsqspring.core.consumer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DeliveryQueueTests {

	private static Delivery delivery() {
		return Delivery.marker();
	}

	private static Thread worker(DeliveryQueue queue, Delivery stop, Set<Delivery> taken, List<Delivery> duplicates) {
		Thread worker = new Thread(() -> {
			try {
				Delivery next;
				while ((next = queue.take()) != stop) {
					if (!taken.add(next)) {
						duplicates.add(next);
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		worker.start();
		return worker;
	}

	private static Set<Delivery> identitySet() {
		return Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
	}

	@Test
	void oneWorkerTakesInOfferOrder() throws InterruptedException {
		DeliveryQueue queue = new DeliveryQueue();
		List<Delivery> offered = List.of(delivery(), delivery(), delivery());
		offered.forEach(queue::offer);
		assertThat(List.of(queue.take(), queue.take(), queue.take())).containsExactlyElementsOf(offered);
		assertThat(queue.poll()).isNull();
	}

	@Test
	void everyOfferedDeliveryIsTakenExactlyOnceByConcurrentWorkers() throws InterruptedException {
		DeliveryQueue queue = new DeliveryQueue();
		int perReader = 50_000;
		handOverConcurrently(queue, perReader, (seed) -> () -> {
			for (int i = 0; i < perReader; i++) {
				queue.offer(delivery());
				if (i % 1000 == 0) {
					// let the workers run dry and wait now and then
					Thread.yield();
				}
			}
		});
		assertThat(queue.poll()).isNull();
	}

	@Test
	void batchesQueuedQuietlyAreEachTakenExactlyOnceOnceTheirReaderWakesTheWorkers() throws InterruptedException {
		// a connection's reader queues what one socket read brought, then wakes workers
		DeliveryQueue queue = new DeliveryQueue();
		int perReader = 50_000;
		handOverConcurrently(queue, perReader, (seed) -> () -> {
			java.util.Random random = new java.util.Random(seed);
			int queued = 0;
			while (queued < perReader) {
				int batch = Math.min(perReader - queued, 1 + random.nextInt(200));
				for (int i = 0; i < batch; i++) {
					queue.offerQuietly(delivery());
				}
				queue.wake(batch);
				queued += batch;
				if (random.nextInt(10) == 0) {
					// let the workers run dry and wait now and then
					Thread.yield();
				}
			}
		});
	}

	/**
	 * Three readers (each built from its index) hand {@code perReader} deliveries each to
	 * four workers: every one must be taken exactly once, and every worker must take its
	 * stop marker.
	 */
	private static void handOverConcurrently(DeliveryQueue queue, int perReader, IntFunction<Runnable> readers)
			throws InterruptedException {
		int readerCount = 3;
		Delivery stop = delivery();
		Set<Delivery> taken = identitySet();
		List<Delivery> duplicates = Collections.synchronizedList(new ArrayList<>());
		List<Thread> workers = new ArrayList<>();
		for (int w = 0; w < 4; w++) {
			workers.add(worker(queue, stop, taken, duplicates));
		}
		List<Thread> readerThreads = new ArrayList<>();
		for (int r = 0; r < readerCount; r++) {
			Thread reader = new Thread(readers.apply(r));
			reader.start();
			readerThreads.add(reader);
		}
		for (Thread reader : readerThreads) {
			reader.join();
		}
		await().until(() -> taken.size() == readerCount * perReader);
		workers.forEach((worker) -> queue.offer(stop));
		for (Thread worker : workers) {
			worker.join(10_000);
			assertThat(worker.isAlive()).as("worker still waiting").isFalse();
		}
		assertThat(duplicates).isEmpty();
	}

	@Test
	void oneWakeForABatchWakesAsManyWaitingWorkersAsItHasDeliveries() throws InterruptedException {
		for (int round = 0; round < 100; round++) {
			DeliveryQueue queue = new DeliveryQueue();
			Delivery stop = delivery();
			List<Thread> workers = new ArrayList<>();
			for (int w = 0; w < 3; w++) {
				workers.add(worker(queue, stop, identitySet(), new ArrayList<>()));
			}
			if (round % 2 == 0) {
				await().until(() -> workers.stream().allMatch((t) -> t.getState() == Thread.State.WAITING));
			}
			workers.forEach((worker) -> queue.offerQuietly(stop));
			queue.wake(workers.size());
			for (Thread worker : workers) {
				worker.join(10_000);
				assertThat(worker.isAlive()).as("round %d: a worker was not woken for its delivery", round).isFalse();
			}
		}
	}

	@Test
	void aWorkerWokenByABurstSleepsAgainAndWakesForTheNextMessage() throws InterruptedException {
		DeliveryQueue queue = new DeliveryQueue();
		Delivery stop = delivery();
		Set<Delivery> taken = identitySet();
		Thread worker = worker(queue, stop, taken, new ArrayList<>());
		await().until(() -> worker.getState() == Thread.State.WAITING);
		for (int i = 0; i < 100; i++) {
			queue.offer(delivery());
		}
		await().until(() -> taken.size() == 100);
		await().until(() -> worker.getState() == Thread.State.WAITING);
		queue.offer(stop);
		worker.join(10_000);
		assertThat(worker.isAlive()).isFalse();
	}

	@Test
	void anInterruptedWorkerLeavesAndTheNextDeliveryWaitsForAnother() throws InterruptedException {
		DeliveryQueue queue = new DeliveryQueue();
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		Thread worker = new Thread(() -> {
			try {
				queue.take();
			}
			catch (InterruptedException ex) {
				thrown.set(ex);
			}
		});
		worker.start();
		await().until(() -> worker.getState() == Thread.State.WAITING);
		worker.interrupt();
		worker.join(10_000);
		assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
		Delivery next = delivery();
		queue.offer(next);
		assertThat(queue.take()).isSameAs(next);
	}

}
