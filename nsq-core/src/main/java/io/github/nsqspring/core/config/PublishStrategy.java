package io.github.nsqspring.core.config;

/**
 * How a producer over several nsqd chooses the node for each publish
 * ({@link NsqProducerConfig#getStrategy()}).
 */
public enum PublishStrategy {

	/** Spread publishes over the healthy nodes in turn. */
	ROUND_ROBIN,

	/**
	 * Publish to the first healthy node in list order; fall back to the next ones while
	 * it is down.
	 */
	FAILOVER

}
