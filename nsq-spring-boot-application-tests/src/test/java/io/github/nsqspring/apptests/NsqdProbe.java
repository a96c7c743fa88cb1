package io.github.nsqspring.apptests;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.nsqspring.boot.admin.NsqAdmin;
import io.github.nsqspring.boot.admin.NsqdStats.ChannelStats;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.test.NsqCluster;

import static org.awaitility.Awaitility.await;

/**
 * What a test does on nsqd from the outside: create channels, publish, and read a
 * channel's counters from nsqd's {@code /stats} (through {@link NsqAdmin}), which prove
 * what nsqd saw rather than what an application believes it did.
 *
 * @author nsq-spring
 */
final class NsqdProbe implements AutoCloseable {

	private final NsqCluster cluster;

	private final NsqAdmin admin;

	private NsqProducer producer;

	NsqdProbe(NsqCluster cluster) {
		this.cluster = cluster;
		this.admin = new NsqAdmin(List.of(cluster.nsqdHttpAddress(0)), List.of());
	}

	/**
	 * The {@code --nsq.*} arguments that point an application at node 0.
	 * @return the arguments
	 */
	List<String> applicationArguments() {
		return List.of("--nsq.nsqd.addresses=" + this.cluster.nsqdTcpAddress(0),
				"--nsq.nsqd.http-addresses=" + this.cluster.nsqdHttpAddress(0));
	}

	void createChannel(String topic, String channel) {
		this.admin.createChannel(topic, channel);
	}

	/**
	 * Publish {@code <topic>-0} to {@code <topic>-<count-1>}, in batches.
	 * @param topic the topic
	 * @param count how many
	 * @return the bodies
	 */
	List<String> publish(String topic, int count) {
		if (this.producer == null) {
			this.producer = NsqProducer.builder().nsqd(this.cluster.nsqdTcpAddress(0)).build();
		}
		List<String> bodies = new ArrayList<>();
		List<byte[]> batch = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String body = topic + "-" + i;
			bodies.add(body);
			batch.add(body.getBytes(StandardCharsets.UTF_8));
			if (batch.size() == 500 || i == count - 1) {
				this.producer.multiPublish(topic, batch);
				batch = new ArrayList<>();
			}
		}
		return bodies;
	}

	/**
	 * A channel's counters on node 0.
	 * @param topic the topic
	 * @param channel the channel
	 * @return the counters
	 * @throws IllegalStateException when nsqd has no such channel
	 */
	ChannelStats channel(String topic, String channel) {
		return this.admin.stats()
			.get(0)
			.topic(topic)
			.flatMap((stats) -> stats.channel(channel))
			.orElseThrow(() -> new IllegalStateException("nsqd has no channel " + topic + "/" + channel));
	}

	/**
	 * A channel's counters once its last client has gone, for a test whose application
	 * has exited. nsqd reads a client's commands in order and removes the client only
	 * after the last of them, so the answers an application flushed just before its
	 * socket closed are counted once {@code client_count} is 0; read earlier, they may
	 * not be yet.
	 * @param topic the topic
	 * @param channel the channel
	 * @return the counters
	 * @throws org.awaitility.core.ConditionTimeoutException when a client stays connected
	 * for 10 seconds
	 */
	ChannelStats channelWithoutClients(String topic, String channel) {
		return await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> channel(topic, channel), (stats) -> stats.clientCount() == 0);
	}

	/**
	 * Messages finished on a channel: neither queued, in flight nor deferred any more
	 * (nothing else removes messages in these tests).
	 * @param stats the channel's counters
	 * @return the count
	 */
	static long finished(ChannelStats stats) {
		return stats.messageCount() - stats.depth() - stats.inFlightCount() - stats.deferredCount();
	}

	@Override
	public void close() {
		if (this.producer != null) {
			this.producer.close();
		}
	}

}
