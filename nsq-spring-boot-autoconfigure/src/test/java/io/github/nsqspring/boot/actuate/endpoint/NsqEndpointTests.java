package io.github.nsqspring.boot.actuate.endpoint;

import java.util.List;
import java.util.Map;

import io.github.nsqspring.boot.actuate.endpoint.NsqEndpoint.ListenerDescriptor;
import io.github.nsqspring.boot.actuate.endpoint.NsqEndpoint.ListenerState;
import io.github.nsqspring.boot.listener.NsqContainerProperties;
import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;
import io.github.nsqspring.core.consumer.ConnectionStats;
import io.github.nsqspring.core.consumer.ConsumerStats;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

/**
 * The endpoint's operations as JMX or any other technology calls them, without HTTP.
 */
class NsqEndpointTests {

	private final NsqMessageListenerContainer container = container("orders");

	private final NsqEndpoint endpoint = new NsqEndpoint(() -> List.of(this.container), Map::of);

	private static NsqMessageListenerContainer container(String id) {
		NsqMessageListenerContainer container = mock(NsqMessageListenerContainer.class);
		given(container.getListenerId()).willReturn(id);
		given(container.getContainerProperties()).willReturn(new NsqContainerProperties("orders", "billing"));
		return container;
	}

	@Test
	void aRunningContainerShowsItsCountsAndConnections() {
		given(this.container.isRunning()).willReturn(true);
		given(this.container.getStats()).willReturn(new ConsumerStats(7, 5, 1, 0, 1, 1, 0, 1, 0,
				List.of(new ConnectionStats("127.0.0.1:4150", ConnectionStats.State.CONNECTED, 1, 1, 5, 1, null),
						new ConnectionStats("127.0.0.1:4250", ConnectionStats.State.RETRYING, 0, 0, 0, 0,
								"connection refused"))));
		ListenerDescriptor listener = this.endpoint.listener("orders");
		assertThat(listener).isNotNull();
		assertThat(listener.state()).isEqualTo(ListenerState.RUNNING);
		assertThat(listener.received()).isEqualTo(7);
		assertThat(listener.finished()).isEqualTo(5);
		assertThat(listener.connections())
			.extracting(NsqEndpoint.ConnectionDescriptor::nsqd, NsqEndpoint.ConnectionDescriptor::lastError)
			.containsExactly(tuple("127.0.0.1:4150", null), tuple("127.0.0.1:4250", "connection refused"));
	}

	@Test
	void aStoppedContainerHasNoCountsRatherThanZeros() {
		ListenerDescriptor listener = this.endpoint.listener("orders");
		assertThat(listener).isNotNull();
		assertThat(listener.state()).isEqualTo(ListenerState.STOPPED);
		assertThat(listener.received()).isNull();
		assertThat(listener.connections()).isEmpty();
	}

	@Test
	void pausesAndResumesInAnyCase() {
		this.endpoint.changeListenerState("orders", "Paused");
		then(this.container).should().pause();
		this.endpoint.changeListenerState("orders", "RESUMED");
		then(this.container).should().resume();
	}

	@Test
	void anUnknownListenerIsNullAndNothingChanges() {
		assertThat(this.endpoint.listener("nope")).isNull();
		assertThat(this.endpoint.changeListenerState("nope", "paused")).isNull();
		then(this.container).should(never()).pause();
	}

	@Test
	void anUnknownStateIsAnInvalidRequestNamingIt() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.changeListenerState("orders", "stopped"))
			.withMessage("Unknown state 'stopped' for NSQ listener 'orders': expected 'paused' or 'resumed'");
		then(this.container).should(never()).pause();
		then(this.container).should(never()).resume();
	}

}
