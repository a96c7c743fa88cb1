package io.github.nsqspring.boot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;

/**
 * Turns on {@link NsqListener} support in an application without Spring Boot (Boot's
 * auto-configuration does this itself). The application defines a
 * {@link io.github.nsqspring.boot.config.NsqListenerContainerFactory} bean named
 * {@code nsqListenerContainerFactory}:
 *
 * <pre class="code">
 * &#64;Configuration
 * &#64;EnableNsq
 * class NsqListenerConfig {
 *
 *     &#64;Bean
 *     ConcurrentNsqListenerContainerFactory nsqListenerContainerFactory() {
 *         return new ConcurrentNsqListenerContainerFactory(
 *                 new DefaultNsqConsumerFactory(NsqConfig.defaults(), List.of("localhost:4150"), List.of()));
 *     }
 *
 * }
 * </pre>
 *
 * Implement {@link NsqListenerConfigurer} to register endpoints in code or change the
 * argument resolution.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(NsqBootstrapConfiguration.class)
public @interface EnableNsq {

}
