package io.github.nsqspring.test.integration.consumer;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.ConsumerStats;
import io.github.nsqspring.core.consumer.NsqConsumer;

/**
 * A worker service whose only code is a consumer, run as its own JVM by
 * {@link ConsumerProcessTests}: {@code main} starts the consumer and returns. It prints
 * {@code MAIN RETURNED}, then {@code HANDLED <n>} and {@code STOPPED <finished>
 * <requeued>} when the consumer has stopped.
 * <p>
 * Arguments: {@code <nsqd> <topic> <stop-after> <handler-millis> <executor> <options>}:
 * <ul>
 * <li>{@code stop-after}: the handler stops the consumer after this many messages (0:
 * never);</li>
 * <li>{@code executor}: {@code own} (the consumer's threads), {@code daemon} (a cached
 * pool of daemon threads) or {@code virtual} (virtual threads, Java 21+);</li>
 * <li>{@code options}: comma-separated, {@code hook} (close the consumer in a shutdown
 * hook, as Spring's context close does on SIGTERM), {@code snappy}.</li>
 * </ul>
 */
public final class ConsumerApp {

	private ConsumerApp() {
	}

	public static void main(String[] args) throws Exception {
		String nsqd = args[0];
		String topic = args[1];
		int stopAfter = Integer.parseInt(args[2]);
		long handlerMillis = Long.parseLong(args[3]);
		String executor = args[4];
		String options = (args.length > 5) ? args[5] : "";
		AtomicInteger handled = new AtomicInteger();
		NsqConsumer[] self = new NsqConsumer[1];
		var builder = NsqConsumer.builder(topic, "ch")
			.config(NsqConfig.builder()
				.consumer((settings) -> settings.maxInFlight(200))
				.connection((connection) -> connection.snappy(options.contains("snappy")))
				.build())
			.nsqd(nsqd)
			.concurrency(4)
			.shutdownTimeout(Duration.ofSeconds(30))
			.handler((message) -> {
				TimeUnit.MILLISECONDS.sleep(handlerMillis);
				if (handled.incrementAndGet() == stopAfter) {
					self[0].stop(Duration.ofSeconds(30));
				}
			});
		Executor handlers = executor(executor);
		if (handlers != null) {
			builder.executor(handlers);
		}
		NsqConsumer consumer = builder.build();
		self[0] = consumer;
		AtomicBoolean reported = new AtomicBoolean();
		Runnable report = () -> {
			// whoever comes second waits until the summary is out
			synchronized (reported) {
				if (reported.compareAndSet(false, true)) {
					ConsumerStats stats = consumer.stats();
					System.out.println("HANDLED " + handled.get());
					System.out.println("STOPPED " + stats.finished() + " " + stats.requeued());
				}
			}
		};
		consumer.stopFuture().thenRun(report);
		if (options.contains("hook")) {
			// the JVM halts when the hooks return: report before that
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				consumer.close();
				report.run();
			}, "app-shutdown-hook"));
		}
		try {
			consumer.start();
		}
		catch (NsqException ex) {
			System.out.println("START FAILED " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
		System.out.println("MAIN RETURNED");
	}

	private static Executor executor(String kind) throws ReflectiveOperationException {
		switch (kind) {
			case "own":
				return null;
			case "daemon":
				AtomicInteger count = new AtomicInteger();
				ThreadFactory daemons = (task) -> {
					Thread thread = new Thread(task, "app-daemon-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				};
				return Executors.newCachedThreadPool(daemons);
			case "virtual":
				// Java 21+; the build's release is 17
				return (Executor) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
			default:
				throw new IllegalArgumentException("unknown executor " + kind);
		}
	}

}
