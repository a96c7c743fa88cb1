package io.github.nsqspring.samples;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

/**
 * Counts what each channel received, so the sample can stop by itself once both got
 * enough.
 */
@Component
class ReceivedMessages {

	private final Map<String, CountDownLatch> channels = new ConcurrentHashMap<>();

	private final Map<String, Set<Long>> orders = new ConcurrentHashMap<>();

	private final int expected;

	ReceivedMessages(SampleProperties properties) {
		this.expected = properties.exitAfter();
		this.channels.put("billing", new CountDownLatch(this.expected));
		this.channels.put("audit", new CountDownLatch(this.expected));
		this.channels.put("mailer", new CountDownLatch(this.expected));
	}

	void received(String channel, long orderNumber) {
		if (this.orders.computeIfAbsent(channel, (name) -> ConcurrentHashMap.newKeySet()).add(orderNumber)) {
			this.channels.get(channel).countDown();
		}
	}

	/**
	 * The distinct order numbers a channel received.
	 * @param channel the channel
	 * @return the order numbers
	 */
	Set<Long> orders(String channel) {
		return Set.copyOf(this.orders.getOrDefault(channel, Set.of()));
	}

	int expected() {
		return this.expected;
	}

	/**
	 * Wait until every channel received the expected count.
	 * @param timeout longest wait
	 * @return {@code true} when they did
	 * @throws InterruptedException when interrupted
	 */
	boolean await(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (CountDownLatch latch : this.channels.values()) {
			if (!latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
				return false;
			}
		}
		return true;
	}

}
