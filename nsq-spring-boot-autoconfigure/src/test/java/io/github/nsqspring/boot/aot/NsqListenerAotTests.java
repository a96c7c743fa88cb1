package io.github.nsqspring.boot.aot;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.boot.core.NsqOperations;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @NsqListener} with ahead-of-time processing: the hints a native image needs for
 * the listener methods and their payloads, and an application context started from the
 * generated code (bean definitions computed ahead of time, as with
 * {@code -Dspring.aot.enabled=true}) whose listeners receive what is published.
 */
class NsqListenerAotTests {

	@Test
	void listenerMethodsAndTheirPayloadTypesAreRegisteredForReflection() {
		RuntimeHints hints = processAheadOfTime().getRuntimeHints();
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Listeners.class, "onOrder")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Listeners.class, "onInvoice")).accepts(hints);
		// Jackson binds the payloads: their accessors and constructors are registered
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Order.class, "number")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Invoice.class, "total")).accepts(hints);
		// NSQ's own registrar, found through META-INF/spring/aot.factories
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(NsqListener.class)).accepts(hints);
	}

	@Test
	@CompileWithForkedClassLoader // the generated code reaches package-private
									// configuration classes
	void contextStartedFromTheGeneratedCodeDeliversToItsListeners() {
		TestGenerationContext generationContext = new TestGenerationContext(App.class);
		ClassName initializerName = new ApplicationContextAotGenerator().processAheadOfTime(context(),
				generationContext);
		generationContext.writeGeneratedContent();
		TestCompiler.forSystem().with(generationContext).compile((compiled) -> {
			try (EmbeddedNsqCluster nsq = EmbeddedNsqCluster.start(1, false)) {
				@SuppressWarnings("unchecked")
				ApplicationContextInitializer<GenericApplicationContext> initializer = compiled
					.getInstance(ApplicationContextInitializer.class, initializerName.toString());
				try (GenericApplicationContext context = new GenericApplicationContext()) {
					TestPropertyValues.of("nsq.nsqd.addresses=" + nsq.nsqdTcpAddress(0)).applyTo(context);
					initializer.initialize(context);
					context.refresh();
					NsqOperations nsqOperations = context.getBean(NsqOperations.class);
					nsqOperations.send("aot-orders", new Order(7, "ada"));
					nsqOperations.send("aot-invoices", new Invoice("I-1", 125));
					Listeners listeners = context.getBean(Listeners.class);
					assertThat(listeners.orders.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
						.isEqualTo(new Order(7, "ada"));
					assertThat(listeners.invoices.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
						.isEqualTo(new Invoice("I-1", 125));
					assertThat(listeners.attempts.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		});
	}

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static TestGenerationContext processAheadOfTime() {
		TestGenerationContext generationContext = new TestGenerationContext(App.class);
		new ApplicationContextAotGenerator().processAheadOfTime(context(), generationContext);
		return generationContext;
	}

	private static GenericApplicationContext context() {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.register(App.class);
		return context;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(NsqAutoConfiguration.class)
	@Import(Listeners.class)
	public static class App {

	}

	public static class Listeners {

		final BlockingQueue<Order> orders = new LinkedBlockingQueue<>();

		final BlockingQueue<Integer> attempts = new LinkedBlockingQueue<>();

		final BlockingQueue<Invoice> invoices = new LinkedBlockingQueue<>();

		@NsqListener(topic = "aot-orders", channel = "billing")
		void onOrder(Order order, @Header(NsqHeaders.ATTEMPTS) int attempts) {
			this.orders.add(order);
			this.attempts.add(attempts);
		}

		@NsqListener(topic = "aot-invoices", channel = "billing")
		void onInvoice(Message<Invoice> invoice) {
			this.invoices.add(invoice.getPayload());
		}

	}

	public record Order(long number, String customer) {

	}

	public record Invoice(String id, long total) {

	}

}
