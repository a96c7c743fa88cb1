package io.github.nsqspring.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.nsqspring.test.support.Threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Start/stop of a 3-node cluster with lookupd: the time is printed (not asserted, the box
 * may be loaded); what is asserted is that nothing leaks.
 */
class EmbeddedNsqClusterLifecycleTests {

	@Test
	void startsAndStopsWithoutLeakingThreadsOrPorts() throws IOException {
		long begin = System.nanoTime();
		EmbeddedNsqCluster cluster = EmbeddedNsqCluster.start(3, true);
		long started = System.nanoTime();
		List<Integer> ports = new ArrayList<>();
		for (int i = 0; i < cluster.size(); i++) {
			ports.add(cluster.nsqd(i).tcpPort());
			ports.add(cluster.nsqd(i).httpPort());
		}
		ports.add(cluster.lookupd().tcpPort());
		ports.add(cluster.lookupd().httpPort());
		assertThat(threadNames()).isNotEmpty();
		cluster.close();
		long stopped = System.nanoTime();
		System.out.printf("3 nsqd + nsqlookupd: start %d ms, stop %d ms%n", (started - begin) / 1_000_000,
				(stopped - started) / 1_000_000);
		await().atMost(Duration.ofSeconds(10)).until(() -> threadNames().isEmpty());
		for (int port : ports) {
			try (ServerSocket socket = new ServerSocket()) {
				socket.setReuseAddress(true);
				socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
			}
		}
	}

	@Test
	void aStoppedNodeRestartsOnItsPortsAndKeepsItsMessages() {
		try (EmbeddedNsqCluster cluster = EmbeddedNsqCluster.start(1, false)) {
			String tcp = cluster.nsqdTcpAddress(0);
			cluster.nsqd(0).publish("kept", "m".getBytes());
			cluster.stopNode(0);
			assertThat(cluster.isNodeRunning(0)).isFalse();
			cluster.startNode(0);
			assertThat(cluster.nsqdTcpAddress(0)).isEqualTo(tcp);
			assertThat(cluster.nsqd(0).topicNames()).contains("kept");
		}
	}

	@Test
	void springPropertiesNameAllAddresses() {
		try (EmbeddedNsqCluster cluster = EmbeddedNsqCluster.start(2, true)) {
			assertThat(cluster.springProperties())
				.containsEntry("nsq.nsqd.addresses", cluster.nsqdTcpAddress(0) + "," + cluster.nsqdTcpAddress(1))
				.containsEntry("nsq.nsqd.http-addresses", cluster.nsqdHttpAddress(0) + "," + cluster.nsqdHttpAddress(1))
				.containsEntry("nsq.lookupd.addresses", cluster.lookupdHttpAddress());
		}
	}

	static List<String> threadNames() {
		List<String> names = new ArrayList<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (thread.getName().startsWith(Threads.PREFIX) && thread.isAlive()) {
				names.add(thread.getName());
			}
		}
		return names;
	}

}
