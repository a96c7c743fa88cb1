package io.github.nsqspring.boot.core;

/**
 * Configures the consumer of one listener container, knowing which listener it is for:
 * its id, topic and channel. Set per-listener go-nsq options on
 * {@link NsqListenerConsumerSpec#config()} and builder settings (discovery filter,
 * reconnect backoff, a connection listener) on
 * {@link NsqListenerConsumerSpec#consumer()}:
 *
 * <pre class="code">
 * &#64;Bean
 * NsqListenerConsumerCustomizer slowBilling() {
 *     return (spec) -&gt; {
 *         if (spec.listenerId().equals("billing")) {
 *             spec.config().set("msg_timeout", "5m");
 *         }
 *     };
 * }
 * </pre>
 *
 * Beans of this type are applied, in {@code @Order}, to the auto-configured container
 * factory (and to factories configured with
 * {@code ConcurrentNsqListenerContainerFactoryConfigurer}); add one to a factory with
 * {@code ConcurrentNsqListenerContainerFactory.addConsumerCustomizer}.
 * <p>
 * Precedence of the consumer options, highest first: {@code @NsqListener(properties)}
 * (and its {@code maxInFlight}/{@code maxAttempts} attributes), these customizers, the
 * container factory's settings, {@code nsq.consumer.*}. Called when the container is
 * created (to check the resulting configuration, with a consumer builder that is then
 * dropped) and each time the container builds its consumer, on the calling thread, after
 * the consumer factory's {@link NsqConsumerBuilderCustomizer}s: it should only configure.
 * The container's own settings (handler, concurrency, executor) are applied afterwards
 * and win; a connection listener set here is called next to the container's own, not
 * replaced. An invalid option set here fails the container's start with a message naming
 * the listener.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface NsqListenerConsumerCustomizer {

	/**
	 * Customize the consumer of a listener.
	 * @param spec the listener and the builders of its consumer
	 */
	void customize(NsqListenerConsumerSpec spec);

}
