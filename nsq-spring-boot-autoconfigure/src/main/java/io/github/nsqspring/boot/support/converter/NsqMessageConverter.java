package io.github.nsqspring.boot.support.converter;

import org.springframework.messaging.converter.SmartMessageConverter;

/**
 * Converts payloads to NSQ message bodies and back, for {@code NsqTemplate} and
 * {@code @NsqListener} methods. NSQ's own converter type: the auto-configuration uses
 * (and backs off for) a bean of this type only, so the generic
 * {@link org.springframework.messaging.converter.MessageConverter} beans of other
 * libraries (Spring Integration, STOMP, ...) never take over NSQ payloads.
 * <p>
 * Contract:
 * <ul>
 * <li>{@link #toMessage(Object, org.springframework.messaging.MessageHeaders)} must
 * return a message whose payload is a {@code byte[]} or a {@code String} (sent as UTF-8).
 * It may add a {@link io.github.nsqspring.boot.support.NsqHeaders#TYPE} header naming the
 * payload's type: the template writes it into the envelope when the envelope is on.</li>
 * <li>{@code fromMessage} receives a message whose payload is the body ({@code byte[]})
 * and whose headers are the envelope's and the NSQ ones; it returns {@code null} or
 * throws {@link org.springframework.messaging.converter.MessageConversionException} when
 * it cannot convert, which is never retried.</li>
 * </ul>
 *
 * @author nsq-spring
 * @since 0.1.0
 * @see DefaultNsqMessageConverter
 */
public interface NsqMessageConverter extends SmartMessageConverter {

}
