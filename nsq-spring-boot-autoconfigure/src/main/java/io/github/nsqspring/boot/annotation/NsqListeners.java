package io.github.nsqspring.boot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Holds several {@link NsqListener} annotations on one method; each gets its own
 * container.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface NsqListeners {

	/**
	 * The listeners.
	 * @return the listeners
	 */
	NsqListener[] value();

}
