package io.github.nsqspring.core.consumer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.protocol.MessageId;
import io.github.nsqspring.core.protocol.WireCommand;

/**
 * A consumer connection without a socket, for testing one part of the consumer on its
 * own: it records what the part writes ({@code "RDY 5"}, {@code "FIN <id>"}...), whether
 * it was flushed, and lets a test deliver messages and close it.
 */
class RecordingConnection extends ConsumerConnection {

	/** Every write and flush, in order: "send RDY 1", "write FIN id", "flush". */
	private final List<String> log = new CopyOnWriteArrayList<>();

	private volatile boolean refusing;

	private volatile Runnable onAnsweredWhileClosing = () -> {
	};

	RecordingConnection(String address, WorkerPool workers) {
		super(null, workers, NsqAddress.parse(address), false);
	}

	/** The commands written (flushed or not), as text lines. */
	List<String> commands() {
		return this.log.stream()
			.filter((entry) -> !entry.equals("flush"))
			.map((entry) -> entry.substring(entry.indexOf(' ') + 1))
			.collect(Collectors.toList());
	}

	/** Commands and flushes in order, e.g. "send RDY 1", "write FIN x", "flush". */
	List<String> log() {
		return new ArrayList<>(this.log);
	}

	/** The commands starting with the given name. */
	List<String> commands(String name) {
		return commands().stream().filter((line) -> line.startsWith(name + " ") || line.equals(name)).toList();
	}

	/** The last RDY count sent, -1 before any. */
	long lastRdy() {
		List<String> rdys = commands("RDY");
		return rdys.isEmpty() ? -1 : Long.parseLong(rdys.get(rdys.size() - 1).substring(4));
	}

	/** From now on every write fails as on a broken connection. */
	void refuseWrites() {
		this.refusing = true;
	}

	void onAnsweredWhileClosing(Runnable action) {
		this.onAnsweredWhileClosing = action;
	}

	/** Deliver a message as its reader would. */
	void deliver(String id, int attempts, String body) {
		byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
		this.workers.onMessage(this, System.currentTimeMillis() * 1_000_000L, attempts, MessageId.high(idBytes),
				MessageId.low(idBytes), body.getBytes(StandardCharsets.UTF_8));
		this.workers.onReadBatchEnd(this, 1);
	}

	@Override
	void send(WireCommand command) {
		record("send", command);
	}

	@Override
	void write(WireCommand command) {
		record("write", command);
	}

	@Override
	void flush() {
		check();
		this.log.add("flush");
	}

	@Override
	void answeredWhileClosing() {
		this.onAnsweredWhileClosing.run();
	}

	private void record(String how, WireCommand command) {
		check();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try {
			command.writeTo(bytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		String text = bytes.toString(StandardCharsets.UTF_8);
		this.log.add(how + " " + text.substring(0, text.indexOf('\n')));
	}

	private void check() {
		if (this.refusing || this.closed) {
			throw new NsqConnectionException("connection to nsqd " + this.addressText + " is closed");
		}
	}

}
