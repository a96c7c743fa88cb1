package io.github.nsqspring.boot.listener.adapter;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;

import io.github.nsqspring.boot.support.converter.DefaultNsqMessageConverter;
import io.github.nsqspring.boot.test.TestNsqMessage;
import io.github.nsqspring.core.consumer.NsqMessage;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: what the {@code @NsqListener} path allocates per message once warm, measured
 * on the calling thread, never timed.
 */
class ListenerAllocationTests {

	private static final int BODY_SIZE = 200;

	@Test
	void stringListenerAllocatesItsPayloadAndAFewSmallObjectsPerMessage() throws Exception {
		StringListener listener = new StringListener();
		DefaultMessageHandlerMethodFactory factory = new DefaultMessageHandlerMethodFactory();
		factory.setMessageConverter(DefaultNsqMessageConverter.create());
		factory.setCustomArgumentResolvers(List.of(new NsqMessageArgumentResolver()));
		factory.afterPropertiesSet();
		InvocableHandlerMethod method = factory.createInvocableHandlerMethod(listener,
				StringListener.class.getMethod("onMessage", String.class));
		MessagingMessageListenerAdapter adapter = new MessagingMessageListenerAdapter(method, "orders", "billing",
				null);
		byte[] body = new byte[BODY_SIZE];
		Arrays.fill(body, (byte) 'x');
		NsqMessage message = new TestNsqMessage(body, 1);
		for (int i = 0; i < 20_000; i++) {
			adapter.onMessage(message);
		}
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		int count = 20_000;
		long before = threads.getCurrentThreadAllocatedBytes();
		for (int i = 0; i < count; i++) {
			adapter.onMessage(message);
		}
		long perMessage = (threads.getCurrentThreadAllocatedBytes() - before) / count;
		// the String payload (24 + 16 + 200 bytes) the listener asked for, then the
		// message, its lazily filled headers (and the empty map MessageHeaders always
		// makes) and the argument array: before issue 15 three header maps, a UUID and
		// the converter chain's lists came on top (1,600 bytes more)
		long payload = 24 + 16 + BODY_SIZE;
		assertThat(perMessage).as("bytes allocated per message").isLessThanOrEqualTo(payload + 160);
		assertThat(listener.length).isEqualTo(2L * count * BODY_SIZE);
	}

	public static class StringListener {

		long length;

		public void onMessage(String payload) {
			this.length += payload.length();
		}

	}

}
