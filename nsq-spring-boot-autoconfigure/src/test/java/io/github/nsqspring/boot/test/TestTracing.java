package io.github.nsqspring.boot.test;

import java.util.List;

import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleTraceContextBuilder;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SimpleTracer} with a W3C-style {@code traceparent} propagator, wired into a
 * {@link TestObservationRegistry} the way Spring Boot wires a real tracer.
 */
public final class TestTracing {

	/** The propagated header. */
	public static final String TRACEPARENT = "traceparent";

	private final SimpleTracer tracer = new SimpleTracer();

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	public TestTracing() {
		Propagator propagator = new TraceparentPropagator(this.tracer);
		this.registry.observationConfig()
			.observationHandler(new FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(this.tracer, propagator),
					new PropagatingReceiverTracingObservationHandler<>(this.tracer, propagator),
					new DefaultTracingObservationHandler(this.tracer)));
	}

	public SimpleTracer tracer() {
		return this.tracer;
	}

	public TestObservationRegistry registry() {
		return this.registry;
	}

	/**
	 * The trace id of the current span, or {@code null}.
	 * @return the trace id
	 */
	public @Nullable String currentTraceId() {
		Span span = this.tracer.currentSpan();
		return (span != null) ? span.context().traceId() : null;
	}

	/**
	 * {@code 00-<trace id>-<span id>-01}.
	 */
	static final class TraceparentPropagator implements Propagator {

		private final SimpleTracer tracer;

		TraceparentPropagator(SimpleTracer tracer) {
			this.tracer = tracer;
		}

		@Override
		public List<String> fields() {
			return List.of(TRACEPARENT);
		}

		@Override
		public <C> void inject(TraceContext context, @Nullable C carrier, Setter<C> setter) {
			setter.set(carrier, TRACEPARENT, "00-" + context.traceId() + "-" + context.spanId() + "-01");
		}

		@Override
		public <C> Span.Builder extract(C carrier, Getter<C> getter) {
			String value = getter.get(carrier, TRACEPARENT);
			if (value == null) {
				return this.tracer.spanBuilder();
			}
			String[] parts = value.split("-");
			TraceContext parent = new SimpleTraceContextBuilder().traceId(parts[1])
				.spanId(parts[2])
				.sampled(true)
				.build();
			return this.tracer.spanBuilder().setParent(parent);
		}

	}

}
