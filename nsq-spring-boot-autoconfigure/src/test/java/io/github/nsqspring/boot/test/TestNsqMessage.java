package io.github.nsqspring.boot.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.nsqspring.core.consumer.NsqMessage;

/**
 * An in-memory {@link NsqMessage} recording how it was answered, with the core consumer's
 * "first response wins" rule.
 */
public class TestNsqMessage implements NsqMessage {

	private final byte[] body;

	private final int attempts;

	private final List<String> responses = new ArrayList<>();

	private boolean autoResponseDisabled;

	private int touches;

	public TestNsqMessage(String body, int attempts) {
		this(body.getBytes(StandardCharsets.UTF_8), attempts);
	}

	public TestNsqMessage(byte[] body, int attempts) {
		this.body = body;
		this.attempts = attempts;
	}

	@Override
	public byte[] id() {
		return idText().getBytes(StandardCharsets.US_ASCII);
	}

	@Override
	public String idText() {
		return "0123456789abcdef";
	}

	@Override
	public int attempts() {
		return this.attempts;
	}

	@Override
	public long timestamp() {
		return 1_700_000_000_000_000_000L;
	}

	@Override
	public byte[] body() {
		return this.body;
	}

	@Override
	public String nsqdAddress() {
		return "127.0.0.1:4150";
	}

	@Override
	public synchronized void finish() {
		respond("FIN");
	}

	@Override
	public synchronized void requeue() {
		respond("REQ");
	}

	@Override
	public synchronized void requeue(Duration delay) {
		respond("REQ " + delay.toMillis());
	}

	@Override
	public synchronized void requeueWithoutBackoff(Duration delay) {
		respond("REQ-NB " + delay.toMillis());
	}

	@Override
	public synchronized void touch() {
		if (this.responses.isEmpty()) {
			this.touches++;
		}
	}

	@Override
	public void disableAutoResponse() {
		this.autoResponseDisabled = true;
	}

	@Override
	public boolean isAutoResponseDisabled() {
		return this.autoResponseDisabled;
	}

	@Override
	public synchronized boolean hasResponded() {
		return !this.responses.isEmpty();
	}

	/** Every response the code under test tried, the ignored ones included. */
	public synchronized List<String> responses() {
		return List.copyOf(this.responses);
	}

	/** The response that counts (the first), or null. */
	public synchronized String response() {
		return this.responses.isEmpty() ? null : this.responses.get(0);
	}

	public synchronized int touches() {
		return this.touches;
	}

	private void respond(String response) {
		this.responses.add(response);
	}

	/**
	 * What the core consumer does after the handler: answer unless disabled or answered.
	 */
	public void autoRespond(boolean handlerFailed) {
		if (!this.autoResponseDisabled && !hasResponded()) {
			if (handlerFailed) {
				requeue();
			}
			else {
				finish();
			}
		}
	}

}
