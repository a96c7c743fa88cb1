package io.github.nsqspring.boot.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.boot.config.MethodNsqListenerEndpoint;
import io.github.nsqspring.boot.config.NsqAnnotationSupportBeanNames;
import io.github.nsqspring.boot.config.NsqListenerContainerFactory;
import io.github.nsqspring.boot.config.NsqListenerEndpointRegistrar;
import io.github.nsqspring.boot.config.NsqListenerEndpointRegistry;
import io.github.nsqspring.boot.core.NsqOperations;
import io.github.nsqspring.boot.listener.NsqListenerErrorHandler;
import io.github.nsqspring.boot.listener.NsqMessageFilterStrategy;
import io.github.nsqspring.boot.listener.adapter.MethodArgumentResolvers;
import io.github.nsqspring.boot.listener.adapter.NsqMessageArgumentResolver;
import io.github.nsqspring.boot.support.converter.DefaultNsqMessageConverter;
import io.github.nsqspring.boot.support.converter.NsqMessageConverter;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.protocol.NsqNames;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanExpressionResolver;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.Scope;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.StandardBeanExpressionResolver;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.log.LogAccessor;
import org.springframework.expression.Expression;
import org.springframework.expression.common.TemplateParserContext;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.validation.Validator;

/**
 * Finds {@link NsqListener} methods on beans and registers a
 * {@link MethodNsqListenerEndpoint} for each with the
 * {@link NsqListenerEndpointRegistrar}. Attributes are resolved here, so a bad value
 * (unresolvable placeholder, invalid topic name, non-numeric max in flight) fails startup
 * with a message naming the method. After every singleton exists, the
 * {@link NsqListenerConfigurer} beans run and the containers are created.
 * <p>
 * Listener methods are called through a {@link DefaultMessageHandlerMethodFactory} using
 * the payload converter and validator of the registrar, else the application's unique
 * {@link NsqMessageConverter} and {@link Validator} beans, else byte[]/String/JSON
 * ({@link DefaultNsqMessageConverter#create()}). The payloads of batch listeners are
 * converted with the same converter.
 * <p>
 * {@code properties} are checked here against nsq-core's option names and value formats
 * (ranges and cross-option rules when the container is created). {@code @SendTo} on the
 * method or its class makes the listener publish its return values through the
 * application's {@link NsqOperations} bean, looked up once every singleton exists and
 * resolved at the first reply; without one, startup fails.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class NsqListenerAnnotationBeanPostProcessor
		implements BeanPostProcessor, Ordered, BeanFactoryAware, SmartInitializingSingleton {

	/** Prefix of generated listener ids. */
	public static final String GENERATED_ID_PREFIX = "io.github.nsqspring.boot.NsqListenerEndpointContainer#";

	private static final LogAccessor logger = new LogAccessor(NsqListenerAnnotationBeanPostProcessor.class);

	/** Marks a {@code @SendTo} expression evaluated for each reply. */
	private static final String RUNTIME_EXPRESSION_PREFIX = "!{";

	private static final TemplateParserContext RUNTIME_EXPRESSION = new TemplateParserContext(RUNTIME_EXPRESSION_PREFIX,
			"}");

	private final Set<Class<?>> nonAnnotatedClasses = Collections.newSetFromMap(new ConcurrentHashMap<>());

	private final NsqListenerEndpointRegistrar registrar = new NsqListenerEndpointRegistrar();

	private final LazyMessageHandlerMethodFactory messageHandlerMethodFactory = new LazyMessageHandlerMethodFactory();

	private final AtomicInteger counter = new AtomicInteger();

	private final List<PendingEndpoint> pendingEndpoints = new CopyOnWriteArrayList<>();

	private final ListenerScope listenerScope = new ListenerScope();

	private volatile boolean initialized;

	private @Nullable BeanFactory beanFactory;

	private BeanExpressionResolver resolver = new StandardBeanExpressionResolver();

	private @Nullable BeanExpressionContext expressionContext;

	private final SpelExpressionParser expressionParser = new SpelExpressionParser();

	@Override
	public int getOrder() {
		return LOWEST_PRECEDENCE;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
		this.registrar.setBeanFactory(beanFactory);
		if (beanFactory instanceof ConfigurableBeanFactory configurable) {
			BeanExpressionResolver configured = configurable.getBeanExpressionResolver();
			if (configured != null) {
				this.resolver = configured;
			}
			this.expressionContext = new BeanExpressionContext(configurable, this.listenerScope);
		}
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.nonAnnotatedClasses.contains(targetClass)) {
			return bean;
		}
		Map<Method, Set<NsqListener>> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<Set<NsqListener>>) (method) -> {
					Set<NsqListener> listeners = AnnotatedElementUtils.findMergedRepeatableAnnotations(method,
							NsqListener.class);
					return listeners.isEmpty() ? null : listeners;
				});
		if (annotated.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		annotated.forEach((method, listeners) -> {
			for (NsqListener listener : listeners) {
				this.listenerScope.add(listener.beanRef(), bean);
				try {
					processNsqListener(listener, method, bean, beanName);
				}
				finally {
					this.listenerScope.remove(listener.beanRef());
				}
			}
		});
		destroyRegistryFirst(beanName);
		logger.debug(() -> annotated.size() + " @NsqListener method(s) processed on bean '" + beanName + "'");
		return bean;
	}

	/**
	 * Make the context destroy the endpoint registry before the listener bean: the
	 * registry's destroy waits for the containers' drain, which calls the bean. This
	 * holds whatever order the beans were created in, when a drain outlasts Spring's
	 * shutdown phase.
	 */
	private void destroyRegistryFirst(String beanName) {
		String registry = NsqAnnotationSupportBeanNames.NSQ_LISTENER_ENDPOINT_REGISTRY_BEAN_NAME;
		if (this.beanFactory instanceof ConfigurableBeanFactory configurable && configurable.containsBean(registry)
				&& configurable.containsBean(beanName)) {
			configurable.registerDependentBean(beanName, registry);
		}
	}

	/**
	 * Register an endpoint for one annotation on a method.
	 * @param listener the annotation
	 * @param method the method
	 * @param bean the bean
	 * @param beanName the bean name
	 */
	protected void processNsqListener(NsqListener listener, Method method, Object bean, String beanName) {
		Method invocable = checkProxy(method, bean, beanName);
		String where = "@NsqListener on " + method.toGenericString();
		MethodNsqListenerEndpoint endpoint = new MethodNsqListenerEndpoint(bean, invocable);
		String topic = resolveString(listener.topic(), "topic", where);
		if (!StringUtils.hasText(topic)) {
			throw new BeanInitializationException(where + ": 'topic' is required");
		}
		endpoint.setTopic(checkName(topic, true, where));
		String channel = resolveString(listener.channel(), "channel", where);
		endpoint.setChannel(StringUtils.hasText(channel) ? checkName(channel, false, where) : null);
		String id = resolveString(listener.id(), "id", where);
		endpoint.setId(StringUtils.hasText(id) ? id : GENERATED_ID_PREFIX + this.counter.getAndIncrement());
		endpoint.setConcurrency(resolveInteger(listener.concurrency(), "concurrency", where));
		endpoint.setMaxInFlight(resolveInteger(listener.maxInFlight(), "maxInFlight", where));
		endpoint.setMaxAttempts(resolveInteger(listener.maxAttempts(), "maxAttempts", where));
		endpoint.setAutoStartup(resolveBoolean(listener.autoStartup(), "autoStartup", where));
		endpoint.setConsumerProperties(resolveConsumerProperties(listener, endpoint, where));
		endpoint.setBatchListener(resolveBoolean(listener.batch(), "batch", where));
		endpoint.setBatchSize(resolveInteger(listener.batchSize(), "batchSize", where));
		endpoint.setBatchTimeout(resolveDuration(listener.batchTimeout(), "batchTimeout", where));
		endpoint.setMessageHandlerMethodFactory(this.messageHandlerMethodFactory);
		endpoint.setBatchMessageConverter(this.messageHandlerMethodFactory::getMessageConverter);
		ReplyTarget reply = resolveReply(method, bean, where);
		if (reply != null) {
			endpoint.setDefaultReplyTopic(reply.topic());
			endpoint.setReplyTopicExpression(reply.expression(),
					(this.beanFactory != null) ? new BeanFactoryResolver(this.beanFactory) : null);
		}
		PendingEndpoint pending = new PendingEndpoint(endpoint,
				resolveReference(listener.containerFactory(), "containerFactory", where),
				resolveReference(listener.errorHandler(), "errorHandler", where),
				resolveReference(listener.filter(), "filter", where), reply != null, where);
		if (this.initialized) {
			register(pending);
		}
		else {
			// beans named by the annotation may be defined next to the listener itself:
			// look them up once every singleton exists
			this.pendingEndpoints.add(pending);
		}
	}

	private void register(PendingEndpoint pending) {
		MethodNsqListenerEndpoint endpoint = pending.endpoint();
		if (pending.errorHandler() != null) {
			endpoint.setErrorHandler(
					referenced(pending.errorHandler(), NsqListenerErrorHandler.class, "errorHandler", pending.where()));
		}
		if (pending.filter() != null) {
			endpoint.setFilterStrategy(
					referenced(pending.filter(), NsqMessageFilterStrategy.class, "filter", pending.where()));
		}
		if (pending.replying()) {
			endpoint.setReplyTemplate(replyTemplate(pending.where()));
		}
		NsqListenerContainerFactory<?> factory = null;
		if (pending.containerFactory() != null) {
			factory = referenced(pending.containerFactory(), NsqListenerContainerFactory.class, "containerFactory",
					pending.where());
		}
		this.registrar.registerEndpoint(endpoint, factory);
	}

	private Method checkProxy(Method method, Object bean, String beanName) {
		if (!AopUtils.isJdkDynamicProxy(bean)) {
			return method;
		}
		try {
			return AopUtils.selectInvocableMethod(method, bean.getClass());
		}
		catch (IllegalStateException ex) {
			throw new IllegalStateException("@NsqListener method '" + method.getName() + "' of bean '" + beanName
					+ "' is not visible through its JDK proxy: declare it on an interface the bean implements, "
					+ "or proxy the target class (proxyTargetClass = true)", ex);
		}
	}

	private static String checkName(String name, boolean topic, String where) {
		try {
			return topic ? NsqNames.requireValidTopic(name) : NsqNames.requireValidChannel(name);
		}
		catch (RuntimeException ex) {
			throw new BeanInitializationException(where + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * What an attribute naming a bean refers to: as in {@code @KafkaListener}, it is a
	 * bean name or an expression that yields either the name or the object itself.
	 */
	private <T> T referenced(Object reference, Class<T> type, String attribute, String where) {
		if (type.isInstance(reference)) {
			return type.cast(reference);
		}
		if (reference instanceof String name) {
			return getBean(name, type, attribute, where);
		}
		throw new BeanInitializationException(where + ": attribute " + attribute + " is a "
				+ reference.getClass().getName() + ", neither a " + type.getSimpleName() + " nor the name of one");
	}

	private @Nullable Object resolveReference(String value, String attribute, String where) {
		if (!StringUtils.hasText(value)) {
			return null;
		}
		Object resolved = evaluate(value, attribute, where);
		if (resolved instanceof String name) {
			return StringUtils.hasText(name) ? name.trim() : null;
		}
		return resolved;
	}

	private <T> T getBean(String name, Class<T> type, String attribute, String where) {
		Assert.state(this.beanFactory != null, "No BeanFactory set");
		try {
			return this.beanFactory.getBean(name, type);
		}
		catch (BeansException ex) {
			throw new BeanInitializationException(
					where + ": no " + type.getSimpleName() + " bean named '" + name + "' (attribute " + attribute + ")",
					ex);
		}
	}

	private @Nullable Object resolve(String value) {
		if (!(this.beanFactory instanceof ConfigurableBeanFactory configurable) || this.expressionContext == null) {
			return value;
		}
		String placeholdersResolved = configurable.resolveEmbeddedValue(value);
		return this.resolver.evaluate(placeholdersResolved, this.expressionContext);
	}

	private @Nullable Object evaluate(String value, String attribute, String where) {
		try {
			return resolve(value);
		}
		catch (RuntimeException ex) {
			throw new BeanInitializationException(
					where + ": cannot resolve " + attribute + " '" + value + "': " + ex.getMessage(), ex);
		}
	}

	private String resolveString(String value, String attribute, String where) {
		if (!StringUtils.hasText(value)) {
			return "";
		}
		Object resolved = evaluate(value, attribute, where);
		if (resolved == null) {
			return "";
		}
		if (resolved instanceof String text) {
			return text.trim();
		}
		return resolved.toString();
	}

	private @Nullable Integer resolveInteger(String value, String attribute, String where) {
		String resolved = resolveString(value, attribute, where);
		if (!StringUtils.hasText(resolved)) {
			return null;
		}
		try {
			return Integer.valueOf(resolved);
		}
		catch (NumberFormatException ex) {
			throw new BeanInitializationException(
					where + ": " + attribute + " must be an integer, was '" + resolved + "'", ex);
		}
	}

	private @Nullable Boolean resolveBoolean(String value, String attribute, String where) {
		String resolved = resolveString(value, attribute, where);
		if (!StringUtils.hasText(resolved)) {
			return null;
		}
		if ("true".equalsIgnoreCase(resolved)) {
			return Boolean.TRUE;
		}
		if ("false".equalsIgnoreCase(resolved)) {
			return Boolean.FALSE;
		}
		throw new BeanInitializationException(
				where + ": " + attribute + " must be true or false, was '" + resolved + "'");
	}

	private @Nullable Duration resolveDuration(String value, String attribute, String where) {
		String resolved = resolveString(value, attribute, where);
		if (!StringUtils.hasText(resolved)) {
			return null;
		}
		try {
			return DurationStyle.detectAndParse(resolved);
		}
		catch (IllegalArgumentException ex) {
			throw new BeanInitializationException(
					where + ": " + attribute + " must be a duration (500ms, 2s, PT1S), was '" + resolved + "'", ex);
		}
	}

	/**
	 * The {@code properties} of a listener as go-nsq options, checked by nsq-core's
	 * option names and value formats. Range and cross-option checks follow when the
	 * container is created, on the complete configuration.
	 */
	private Map<String, String> resolveConsumerProperties(NsqListener listener, MethodNsqListenerEndpoint endpoint,
			String where) {
		Map<String, String> options = new LinkedHashMap<>();
		for (String element : listener.properties()) {
			Object resolved;
			try {
				resolved = resolve(element);
			}
			catch (RuntimeException ex) {
				throw new BeanInitializationException(
						where + ": cannot resolve properties element '" + element + "': " + ex.getMessage(), ex);
			}
			addConsumerProperties(resolved, options, element, where);
		}
		NsqConfig.Builder check = NsqConfig.builder();
		options.forEach((name, value) -> {
			try {
				check.set(name, value);
			}
			catch (RuntimeException ex) {
				throw new BeanInitializationException(
						where + ": invalid consumer property '" + name + "': " + ex.getMessage(), ex);
			}
		});
		if (endpoint.getMaxInFlight() != null && options.containsKey("max_in_flight")) {
			throw new BeanInitializationException(
					where + ": max_in_flight is set twice, by maxInFlight and by properties; keep one");
		}
		if (endpoint.getMaxAttempts() != null && options.containsKey("max_attempts")) {
			throw new BeanInitializationException(
					where + ": max_attempts is set twice, by maxAttempts and by properties; keep one");
		}
		return options;
	}

	private static void addConsumerProperties(@Nullable Object resolved, Map<String, String> options, String element,
			String where) {
		if (resolved == null) {
			return;
		}
		if (resolved instanceof Map<?, ?> map) {
			map.forEach((name, value) -> putOption(options, String.valueOf(name).trim(),
					(value != null) ? String.valueOf(value).trim() : "", where));
		}
		else if (resolved instanceof String[] array) {
			for (String item : array) {
				addConsumerProperties(item, options, element, where);
			}
		}
		else if (resolved instanceof Collection<?> collection) {
			for (Object item : collection) {
				addConsumerProperties(item, options, element, where);
			}
		}
		else {
			String text = resolved.toString().trim();
			if (!text.isEmpty()) {
				int equals = text.indexOf('=');
				int colon = text.indexOf(':');
				int separator = (equals < 0) ? colon : ((colon < 0) ? equals : Math.min(equals, colon));
				if (separator <= 0) {
					throw new BeanInitializationException(
							where + ": properties element '" + element + "' must be 'name=value', was '" + text + "'");
				}
				putOption(options, text.substring(0, separator).trim(), text.substring(separator + 1).trim(), where);
			}
		}
	}

	private static void putOption(Map<String, String> options, String name, String value, String where) {
		if (options.put(name, value) != null) {
			throw new BeanInitializationException(where + ": consumer property '" + name + "' is set twice");
		}
	}

	/**
	 * The reply target of a listener method: {@code @SendTo} on the method, else on its
	 * class.
	 */
	private @Nullable ReplyTarget resolveReply(Method method, Object bean, String where) {
		SendTo sendTo = AnnotatedElementUtils.findMergedAnnotation(method, SendTo.class);
		if (sendTo == null) {
			sendTo = AnnotatedElementUtils.findMergedAnnotation(AopUtils.getTargetClass(bean), SendTo.class);
		}
		if (sendTo == null) {
			return null;
		}
		String[] values = sendTo.value();
		if (values.length > 1) {
			throw new BeanInitializationException(
					where + ": @SendTo names " + values.length + " topics; a reply goes to one topic");
		}
		String value = (values.length == 1) ? values[0].trim() : "";
		if (value.startsWith(RUNTIME_EXPRESSION_PREFIX) && value.endsWith("}")) {
			try {
				return new ReplyTarget(null, this.expressionParser.parseExpression(value, RUNTIME_EXPRESSION));
			}
			catch (RuntimeException ex) {
				throw new BeanInitializationException(
						where + ": invalid @SendTo expression '" + value + "': " + ex.getMessage(), ex);
			}
		}
		String topic = resolveString(value, "@SendTo", where);
		return new ReplyTarget(StringUtils.hasText(topic) ? checkName(topic, true, where) : null, null);
	}

	private Supplier<NsqOperations> replyTemplate(String where) {
		Assert.state(this.beanFactory != null, "No BeanFactory set");
		ObjectProvider<NsqOperations> provider = this.beanFactory.getBeanProvider(NsqOperations.class);
		if (provider.getIfUnique() == null) {
			throw new BeanInitializationException(where + ": @SendTo publishes replies through an NsqOperations "
					+ "bean (NsqTemplate), but there is "
					+ (provider.stream().findAny().isPresent() ? "more than one and none is @Primary" : "none"));
		}
		return SingletonSupplier.of(provider::getObject);
	}

	@Override
	public void afterSingletonsInstantiated() {
		Assert.state(this.beanFactory != null, "No BeanFactory set");
		if (this.beanFactory instanceof ListableBeanFactory listable) {
			List<NsqListenerConfigurer> configurers = new ArrayList<>(
					listable.getBeansOfType(NsqListenerConfigurer.class).values());
			AnnotationAwareOrderComparator.sort(configurers);
			configurers.forEach((configurer) -> configurer.configureNsqListeners(this.registrar));
		}
		if (this.registrar.getEndpointRegistry() == null) {
			this.registrar.setEndpointRegistry(
					this.beanFactory.getBean(NsqAnnotationSupportBeanNames.NSQ_LISTENER_ENDPOINT_REGISTRY_BEAN_NAME,
							NsqListenerEndpointRegistry.class));
		}
		this.pendingEndpoints.forEach(this::register);
		this.pendingEndpoints.clear();
		this.initialized = true;
		this.registrar.afterPropertiesSet();
	}

	/**
	 * Makes the bean whose listeners are being registered available to their attributes'
	 * expressions under its {@link NsqListener#beanRef()} ({@code #{__listener.topic}}).
	 */
	private static final class ListenerScope implements Scope {

		private final Map<String, Object> beans = new ConcurrentHashMap<>();

		void add(String name, Object bean) {
			this.beans.put(name, bean);
		}

		@Override
		public @Nullable Object remove(String name) {
			return this.beans.remove(name);
		}

		@Override
		public Object get(String name, ObjectFactory<?> objectFactory) {
			Object bean = this.beans.get(name);
			return (bean != null) ? bean : objectFactory.getObject();
		}

		@Override
		public void registerDestructionCallback(String name, Runnable callback) {
		}

		@Override
		public @Nullable Object resolveContextualObject(String key) {
			return this.beans.get(key);
		}

		@Override
		public @Nullable String getConversationId() {
			return null;
		}

	}

	private record PendingEndpoint(MethodNsqListenerEndpoint endpoint, @Nullable Object containerFactory,
			@Nullable Object errorHandler, @Nullable Object filter, boolean replying, String where) {

	}

	private record ReplyTarget(@Nullable String topic, @Nullable Expression expression) {

	}

	/**
	 * Creates the real handler method factory on first use, when every bean exists and
	 * the configurers had their say.
	 */
	private final class LazyMessageHandlerMethodFactory implements MessageHandlerMethodFactory {

		private volatile @Nullable MessageHandlerMethodFactory delegate;

		private volatile @Nullable MessageConverter messageConverter;

		/**
		 * The payload converter of listener methods, for the payloads of batches: the
		 * default factory's, else (a custom factory) the registrar's, else the default.
		 */
		MessageConverter getMessageConverter() {
			getDelegate();
			MessageConverter converter = this.messageConverter;
			if (converter == null) {
				converter = NsqListenerAnnotationBeanPostProcessor.this.registrar.getMessageConverter();
			}
			return (converter != null) ? converter : DefaultNsqMessageConverter.create();
		}

		@Override
		public InvocableHandlerMethod createInvocableHandlerMethod(Object bean, Method method) {
			return getDelegate().createInvocableHandlerMethod(bean, method);
		}

		private MessageHandlerMethodFactory getDelegate() {
			MessageHandlerMethodFactory current = this.delegate;
			if (current == null) {
				MessageHandlerMethodFactory custom = NsqListenerAnnotationBeanPostProcessor.this.registrar
					.getMessageHandlerMethodFactory();
				current = (custom != null) ? custom : createDefault();
				this.delegate = current;
			}
			return current;
		}

		private MessageHandlerMethodFactory createDefault() {
			NsqListenerEndpointRegistrar registrar = NsqListenerAnnotationBeanPostProcessor.this.registrar;
			BeanFactory beanFactory = NsqListenerAnnotationBeanPostProcessor.this.beanFactory;
			ConverterTrackingMethodFactory factory = new ConverterTrackingMethodFactory(this);
			if (beanFactory != null) {
				factory.setBeanFactory(beanFactory);
			}
			DefaultFormattingConversionService conversionService = new DefaultFormattingConversionService();
			if (beanFactory instanceof ListableBeanFactory listable) {
				// the application's Converter and Formatter beans convert arguments too,
				// as
				// in spring-kafka: @Header TenantId tenant with a Converter<String,
				// TenantId>
				ApplicationConversionService.addBeans(conversionService, listable);
			}
			factory.setConversionService(conversionService);
			MessageConverter converter = registrar.getMessageConverter();
			if (converter == null && beanFactory != null) {
				// NSQ's own converter type only: other libraries' MessageConverter beans
				// never take over NSQ payloads
				converter = beanFactory.getBeanProvider(NsqMessageConverter.class).getIfUnique();
			}
			factory.setMessageConverter((converter != null) ? converter : DefaultNsqMessageConverter.create());
			Validator validator = registrar.getValidator();
			if (validator == null && beanFactory != null) {
				validator = beanFactory.getBeanProvider(Validator.class).getIfUnique();
			}
			if (validator != null) {
				factory.setValidator(validator);
			}
			factory.setCustomArgumentResolvers(List.of(new NsqMessageArgumentResolver()));
			factory.afterPropertiesSet();
			return factory;
		}

	}

	/**
	 * Remembers the converter it is given, for the conversion of batch payloads, and
	 * gives each method it creates its own {@link MethodArgumentResolvers}.
	 */
	private static final class ConverterTrackingMethodFactory extends DefaultMessageHandlerMethodFactory {

		private final LazyMessageHandlerMethodFactory owner;

		/** Captured when afterPropertiesSet initializes them (createDefault calls it). */
		private List<HandlerMethodArgumentResolver> resolvers = List.of();

		ConverterTrackingMethodFactory(LazyMessageHandlerMethodFactory owner) {
			this.owner = owner;
		}

		@Override
		protected List<HandlerMethodArgumentResolver> initArgumentResolvers() {
			List<HandlerMethodArgumentResolver> initialized = super.initArgumentResolvers();
			this.resolvers = List.copyOf(initialized);
			return initialized;
		}

		@Override
		public InvocableHandlerMethod createInvocableHandlerMethod(Object bean, Method method) {
			InvocableHandlerMethod handlerMethod = super.createInvocableHandlerMethod(bean, method);
			handlerMethod.setMessageMethodArgumentResolvers(new MethodArgumentResolvers(this.resolvers, handlerMethod));
			return handlerMethod;
		}

		@Override
		public void setMessageConverter(MessageConverter messageConverter) {
			super.setMessageConverter(messageConverter);
			this.owner.messageConverter = messageConverter;
		}

	}

}
