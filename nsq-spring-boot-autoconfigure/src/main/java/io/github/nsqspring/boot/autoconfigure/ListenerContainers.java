package io.github.nsqspring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.nsqspring.boot.config.NsqListenerEndpointRegistry;
import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * The listener containers the actuator endpoint and the health indicator report, so both
 * list the same ones.
 */
final class ListenerContainers {

	private ListenerContainers() {
	}

	/**
	 * The containers of {@code @NsqListener} methods (owned by the registry, not beans),
	 * then container beans with other ids.
	 */
	static List<NsqMessageListenerContainer> all(ListableBeanFactory beanFactory) {
		List<NsqMessageListenerContainer> containers = new ArrayList<>();
		for (NsqListenerEndpointRegistry registry : beanFactory
			.getBeansOfType(NsqListenerEndpointRegistry.class, false, false)
			.values()) {
			containers.addAll(registry.getListenerContainers());
		}
		Set<String> ids = new HashSet<>();
		containers.forEach((container) -> ids.add(container.getListenerId()));
		Collection<NsqMessageListenerContainer> beans = beanFactory
			.getBeansOfType(NsqMessageListenerContainer.class, false, false)
			.values();
		for (NsqMessageListenerContainer bean : beans) {
			if (ids.add(bean.getListenerId())) {
				containers.add(bean);
			}
		}
		return containers;
	}

}
