package io.github.nsqspring.boot.listener;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

import io.github.nsqspring.core.consumer.NsqMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.core.convert.ConversionException;
import org.springframework.core.log.LogAccessor;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;
import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The default error handler: requeue a failed message so nsqd redelivers it later, until
 * its last attempt; then hand it to a {@link NsqMessageRecoverer} and finish it.
 * <ul>
 * <li>Requeue delay: by default the consumer's automatic delay
 * ({@code nsq.consumer.default-requeue-delay} × attempts, capped by
 * {@code nsq.consumer.max-requeue-delay}), which also slows the consumer down (backoff).
 * With {@link #setBackOff(BackOff)} the delay of attempt <em>n</em> is the <em>n</em>-th
 * value of that back-off instead. The listener thread never sleeps: nsqd holds the
 * message during the delay.</li>
 * <li>Last attempt: when the message's attempt count reaches the container's
 * {@code maxAttempts} (0 means never).</li>
 * <li>Not retryable: exceptions that a retry cannot fix go to the recoverer at once:
 * payload conversion ({@link MessageConversionException}, {@link ConversionException}),
 * argument resolution and validation ({@link MethodArgumentResolutionException}, which
 * includes {@code MethodArgumentNotValidException}), {@link ClassCastException} and
 * {@link NoSuchMethodException}. Add more with {@link #addNotRetryableExceptions}. The
 * whole cause chain is checked.</li>
 * <li>When the recoverer throws (a dead-letter topic that cannot be published to, for
 * example), the message is requeued with backoff instead of finished, so it is not lost:
 * nsqd delivers it again after the automatic delay, it is over its last attempt again,
 * and the recoverer gets another chance. The failure is logged at error level and
 * reported to the container ({@link NsqMessageListenerContainer#recoveryFailed}), which
 * counts it. This holds for messages that failed in the listener ({@link #handleError})
 * and for messages the consumer found over max attempts before calling the listener
 * ({@link #handleExhausted}).</li>
 * </ul>
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class DefaultNsqErrorHandler implements NsqErrorHandler {

	private static final LogAccessor logger = new LogAccessor(DefaultNsqErrorHandler.class);

	private final NsqMessageRecoverer recoverer;

	private final Set<Class<? extends Throwable>> notRetryable = new LinkedHashSet<>();

	private @Nullable BackOff backOff;

	/**
	 * Log messages that are given up on ({@link LoggingNsqMessageRecoverer}).
	 */
	public DefaultNsqErrorHandler() {
		this(new LoggingNsqMessageRecoverer());
	}

	/**
	 * Hand messages that are given up on to a recoverer.
	 * @param recoverer the recoverer
	 */
	public DefaultNsqErrorHandler(NsqMessageRecoverer recoverer) {
		Assert.notNull(recoverer, "'recoverer' must not be null");
		this.recoverer = recoverer;
		this.notRetryable.add(MessageConversionException.class);
		this.notRetryable.add(ConversionException.class);
		this.notRetryable.add(MethodArgumentResolutionException.class);
		this.notRetryable.add(ClassCastException.class);
		this.notRetryable.add(NoSuchMethodException.class);
	}

	/**
	 * Compute requeue delays from a back-off instead of the consumer's automatic delay.
	 * When the back-off says stop, the message goes to the recoverer.
	 * @param backOff the back-off, or {@code null} for the automatic delay
	 */
	public void setBackOff(@Nullable BackOff backOff) {
		this.backOff = backOff;
	}

	/**
	 * Add exception types that send a message straight to the recoverer.
	 * @param types the exception types (subtypes match too)
	 */
	@SafeVarargs
	public final void addNotRetryableExceptions(Class<? extends Throwable>... types) {
		this.notRetryable.addAll(Set.of(types));
	}

	/**
	 * The recoverer.
	 * @return the recoverer
	 */
	public NsqMessageRecoverer getRecoverer() {
		return this.recoverer;
	}

	@Override
	public void handleError(NsqMessage message, Exception exception, NsqMessageListenerContainer container) {
		NsqContainerProperties properties = container.getContainerProperties();
		int maxAttempts = properties.getMaxAttempts();
		Duration delay = null;
		boolean recover;
		if (isNotRetryable(exception)) {
			recover = true;
		}
		else if (maxAttempts > 0 && message.attempts() >= maxAttempts) {
			recover = true;
		}
		else if (this.backOff != null) {
			delay = delayFor(this.backOff, message.attempts());
			recover = (delay == null);
		}
		else {
			recover = false;
		}
		if (recover) {
			recover(message, exception, container);
		}
		else {
			requeue(message, delay, exception, properties);
		}
	}

	@Override
	public void handleExhausted(NsqMessage message, NsqMessageListenerContainer container) {
		NsqContainerProperties properties = container.getContainerProperties();
		IllegalStateException cause = new IllegalStateException("Message delivered " + message.attempts()
				+ " times, more than max attempts (" + properties.getMaxAttempts() + ")");
		try {
			this.recoverer.recover(message, properties.getTopic(), properties.getChannel(), cause);
		}
		catch (Exception ex) {
			recoveryFailed(message, ex, container);
		}
	}

	private void recover(NsqMessage message, Exception exception, NsqMessageListenerContainer container) {
		NsqContainerProperties properties = container.getContainerProperties();
		Throwable cause = unwrap(exception);
		try {
			this.recoverer.recover(message, properties.getTopic(), properties.getChannel(), cause);
			message.finish();
		}
		catch (Exception ex) {
			recoveryFailed(message, ex, container);
		}
	}

	private static void recoveryFailed(NsqMessage message, Exception failure, NsqMessageListenerContainer container) {
		NsqContainerProperties properties = container.getContainerProperties();
		logger.error(failure,
				() -> "Recoverer failed for message " + message.idText() + " from " + properties.getTopic() + "/"
						+ properties.getChannel() + " (attempt " + message.attempts()
						+ "); requeueing it with backoff instead of finishing it");
		if (!message.hasResponded()) {
			message.requeue();
		}
		container.recoveryFailed(message, failure);
	}

	private void requeue(NsqMessage message, @Nullable Duration delay, Exception exception,
			NsqContainerProperties properties) {
		logger.debug(exception,
				() -> "Listener failed on message " + message.idText() + " from " + properties.getTopic() + "/"
						+ properties.getChannel() + " (attempt " + message.attempts() + "); requeueing"
						+ ((delay != null) ? " with delay " + delay : ""));
		if (delay != null) {
			message.requeue(delay);
		}
		else {
			message.requeue();
		}
	}

	/**
	 * Whether an exception, or any of its causes, is one that retrying cannot fix.
	 * @param exception the exception
	 * @return {@code true} to recover at once
	 */
	protected boolean isNotRetryable(Throwable exception) {
		Throwable current = exception;
		while (current != null) {
			for (Class<? extends Throwable> type : this.notRetryable) {
				if (type.isInstance(current)) {
					return true;
				}
			}
			current = (current.getCause() != current) ? current.getCause() : null;
		}
		return false;
	}

	private static @Nullable Duration delayFor(BackOff backOff, int attempt) {
		BackOffExecution execution = backOff.start();
		long delay = BackOffExecution.STOP;
		for (int i = 0; i < Math.max(attempt, 1); i++) {
			delay = execution.nextBackOff();
			if (delay == BackOffExecution.STOP) {
				return null;
			}
		}
		return Duration.ofMillis(delay);
	}

	private static Throwable unwrap(Exception exception) {
		if (exception instanceof ListenerExecutionFailedException && exception.getCause() != null) {
			return exception.getCause();
		}
		return exception;
	}

}
