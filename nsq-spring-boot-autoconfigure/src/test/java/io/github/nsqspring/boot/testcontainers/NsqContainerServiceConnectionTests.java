package io.github.nsqspring.boot.testcontainers;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.boot.autoconfigure.NsqConnectionDetails;
import io.github.nsqspring.boot.core.NsqOperations;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test written the way an application's test would be: a static
 * {@code @ServiceConnection} container field of the {@code nsqio/nsq} image, no
 * {@code nsq.*} address to maintain. The container is {@link EmbeddedNsqContainer}, so
 * this runs without Docker; it has not been run against a real container here.
 */
@SpringJUnitConfig(NsqContainerServiceConnectionTests.App.class)
@TestPropertySource(properties = "nsq.nsqd.addresses=127.0.0.1:1")
@DirtiesContext
class NsqContainerServiceConnectionTests {

	@ServiceConnection
	static final EmbeddedNsqContainer nsq = new EmbeddedNsqContainer("nsqio/nsq:v1.3.0").withCommand("/nsqd")
		.withExposedPorts(4150, 4151);

	@Autowired
	private NsqConnectionDetails connectionDetails;

	@Autowired
	private NsqOperations nsqOperations;

	@Autowired
	private Orders orders;

	@Test
	void applicationTalksToTheContainerInsteadOfTheConfiguredAddress() throws InterruptedException {
		assertThat(this.connectionDetails.getNsqdAddresses()).containsExactly(nsq.cluster().nsqdTcpAddress(0));
		assertThat(this.connectionDetails.getNsqdHttpAddresses()).containsExactly(nsq.cluster().nsqdHttpAddress(0));
		this.nsqOperations.send("orders", "order-1");
		assertThat(this.orders.received.poll(20, TimeUnit.SECONDS)).isEqualTo("order-1");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(NsqAutoConfiguration.class)
	@Import({ Orders.class, StopContainerOnClose.class })
	static class App {

	}

	/**
	 * Stops the container when the context closes, after the listeners left it (JUnit's
	 * own callbacks would run while the context is still open).
	 */
	static class StopContainerOnClose implements DisposableBean {

		@Override
		public void destroy() {
			nsq.stop();
		}

	}

	static class Orders {

		final BlockingQueue<String> received = new LinkedBlockingQueue<>();

		@NsqListener(topic = "orders", channel = "billing")
		void onOrder(String order) {
			this.received.add(order);
		}

	}

}
