package io.github.nsqspring.core.connection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqAuthException;
import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.NsqProtocolException;
import io.github.nsqspring.core.NsqTimeoutException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.json.Json;
import io.github.nsqspring.core.json.JsonParseException;
import io.github.nsqspring.core.protocol.Frame;
import io.github.nsqspring.core.protocol.FrameReader;
import io.github.nsqspring.core.protocol.MessageReceiver;
import io.github.nsqspring.core.protocol.NsqCommand;
import io.github.nsqspring.core.protocol.WireCommand;

/**
 * One TCP connection to nsqd speaking protocol V2.
 * <p>
 * {@link #open} dials, sends the magic and IDENTIFY with every option of the
 * {@link NsqConfig}, performs the upgrades nsqd negotiated (TLS on the open socket, then
 * snappy or deflate) and AUTH when nsqd requires it, then starts one reader thread
 * ({@code nsq-reader-<address>}, daemon). The reader answers heartbeats with NOP, never
 * shows them to the {@link ConnectionHandler}, and hands every other frame to it in wire
 * order.
 * <p>
 * {@link #send} may be called from any thread. Commands are written into one buffer under
 * a lock; a writer that finds others waiting behind it leaves the flush to the last of
 * them, so many concurrent writers share few system calls. A write blocked longer than
 * {@code write_timeout} closes the connection; so does silence longer than
 * {@code read_timeout}.
 * <p>
 * When TLS is enabled in the configuration but nsqd does not negotiate it, the connection
 * is refused rather than continued in plain text (go-nsq continues silently).
 */
public final class NsqConnection implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(NsqConnection.class);

	private static final int BUFFER_SIZE = 64 * 1024;

	private final NsqAddress address;

	private final String source;

	private final NsqConfig config;

	private final ConnectionHandler handler;

	/**
	 * The TCP socket under any TLS layer: closing it unblocks every reader and writer.
	 */
	private final Socket socket;

	private final IdentifyResponse identifyResponse;

	private final AuthResponse authResponse;

	private final FrameReader reader;

	private final OutputBuffer out;

	private final ReentrantLock writeLock = new ReentrantLock();

	private final AtomicInteger writers = new AtomicInteger();

	private final AtomicBoolean closing = new AtomicBoolean();

	private final AtomicBoolean terminated = new AtomicBoolean();

	private final long writeTimeoutNanos;

	private final Thread readerThread;

	/** A writer left its flush to the writers queued behind it; guarded by writeLock. */
	private boolean flushOwed;

	/** requestFlush was called; cleared by the flush that honours it. */
	private volatile boolean flushRequested;

	private volatile NsqException failure;

	private volatile NsqProtocolException lastFatalError;

	private NsqConnection(Handshake handshake, NsqConfig config, ConnectionHandler handler) {
		this.address = handshake.address;
		this.source = "nsqd " + handshake.address;
		this.config = config;
		this.handler = handler;
		this.socket = handshake.socket;
		this.identifyResponse = handshake.identify;
		this.authResponse = handshake.auth;
		this.reader = handshake.reader;
		this.out = handshake.out;
		this.writeTimeoutNanos = config.getWriteTimeout().toNanos();
		this.readerThread = new Thread(this::readLoop, "nsq-reader-" + handshake.address);
		this.readerThread.setDaemon(true);
	}

	/**
	 * Connect to nsqd and negotiate everything the configuration asks for.
	 * @param address the nsqd TCP address
	 * @param config the configuration
	 * @param handler receives frames and the close
	 * @return the open connection, its reader thread started
	 * @throws NsqConnectionException when nsqd cannot be reached or the handshake fails
	 * @throws NsqTimeoutException when dialing or a handshake read times out
	 * @throws NsqProtocolException when nsqd rejects IDENTIFY
	 * @throws NsqAuthException when AUTH is required and no secret is configured, or AUTH
	 * fails
	 * @throws io.github.nsqspring.core.NsqConfigException when snappy is enabled without
	 * snappy-java on the classpath, or TLS files cannot be read
	 */
	public static NsqConnection open(NsqAddress address, NsqConfig config, ConnectionHandler handler) {
		if (config.isSnappy()) {
			Compression.requireSnappy();
		}
		Handshake handshake = Handshake.perform(address, config);
		NsqConnection connection = new NsqConnection(handshake, config, handler);
		WriteWatchdog.register(connection);
		connection.readerThread.start();
		return connection;
	}

	/**
	 * The nsqd address this connection was opened to.
	 * @return the address
	 */
	public NsqAddress address() {
		return this.address;
	}

	/**
	 * What nsqd answered to IDENTIFY.
	 * @return the answer
	 */
	public IdentifyResponse identifyResponse() {
		return this.identifyResponse;
	}

	/**
	 * What nsqd answered to AUTH.
	 * @return the answer, or {@code null} when nsqd did not require AUTH
	 */
	public AuthResponse authResponse() {
		return this.authResponse;
	}

	/**
	 * The configuration the connection was opened with.
	 * @return the configuration
	 */
	public NsqConfig config() {
		return this.config;
	}

	/**
	 * Whether the connection is usable: not closed and not failed.
	 * @return {@code true} while open
	 */
	public boolean isOpen() {
		return !this.closing.get() && !this.terminated.get();
	}

	/**
	 * Why the connection failed, if it did.
	 * @return the failure, or {@code null} while open or after a requested close
	 */
	public NsqException failure() {
		return this.failure;
	}

	/**
	 * Write a command.
	 * @param command the command
	 * @throws NsqConnectionException when the connection is closed or the write fails
	 * (the connection is then closed)
	 */
	public void send(NsqCommand command) {
		send(command, null);
	}

	/**
	 * Write a command, running {@code beforeWrite} under the write lock first. Used to
	 * record what the command expects (e.g. a pending answer) in exactly the order
	 * commands reach the wire.
	 * @param command the command
	 * @param beforeWrite run just before the command is written, may be {@code null}; if
	 * it throws, the command is not written
	 * @throws NsqConnectionException when the connection is closed or the write fails
	 * (the connection is then closed)
	 */
	public void send(NsqCommand command, Runnable beforeWrite) {
		send(command, beforeWrite, true);
	}

	/**
	 * Write a command, flushing it or leaving it in the buffer. A command written with
	 * {@code flush == false} stays buffered until a later flush (any {@code send} with
	 * {@code flush == true}, {@link #requestFlush()}, or a full buffer); the caller is
	 * responsible for making sure one happens. Used by producers that batch their own
	 * flushes (see {@code NsqdProducer}). The command may be any {@link WireCommand}: a
	 * producer that encodes its publishes itself writes them without an
	 * {@link NsqCommand} per message.
	 * @param command the command
	 * @param beforeWrite run just before the command is written, may be {@code null}; if
	 * it throws, the command is not written
	 * @param flush whether this command has to be flushed (possibly by a writer queued
	 * behind it)
	 * @throws NsqConnectionException when the connection is closed or the write fails
	 * (the connection is then closed)
	 */
	public void send(WireCommand command, Runnable beforeWrite, boolean flush) {
		this.writers.incrementAndGet();
		this.writeLock.lock();
		IOException writeFailure = null;
		try {
			boolean countReleased = false;
			try {
				if (!isOpen()) {
					throw closedException();
				}
				if (beforeWrite != null) {
					beforeWrite.run();
				}
				command.writeTo(this.out);
				countReleased = true;
				if (this.writers.decrementAndGet() == 0) {
					if (flush || this.flushOwed || this.flushRequested) {
						flushLocked();
					}
				}
				else if (flush) {
					// a writer queued behind this one flushes for both
					this.flushOwed = true;
				}
			}
			catch (IOException ex) {
				writeFailure = ex;
			}
			finally {
				if (!countReleased && this.writers.decrementAndGet() == 0 && writeFailure == null && isOpen()
						&& (this.flushOwed || this.flushRequested)) {
					// this command was not written, but earlier writers left their flush
					// to it
					try {
						flushLocked();
					}
					catch (IOException ex) {
						writeFailure = ex;
					}
				}
			}
		}
		finally {
			this.writeLock.unlock();
		}
		if (writeFailure != null) {
			failWrite(writeFailure);
		}
		if (this.flushRequested) {
			// requested while this writer held the lock: see requestFlush
			requestFlush();
		}
	}

	/**
	 * Flush buffered commands without ever waiting for the write lock, so the reader
	 * thread may call it: when another thread holds the lock, that thread (or the next
	 * holder) flushes before or just after releasing it. Write failures close the
	 * connection and are reported through {@link ConnectionHandler#onClose}.
	 */
	public void requestFlush() {
		this.flushRequested = true;
		if (!this.writeLock.tryLock()) {
			// the holder re-checks flushRequested after unlocking
			return;
		}
		IOException writeFailure = null;
		try {
			if (this.flushRequested && this.writers.get() == 0 && isOpen()) {
				flushLocked();
			}
		}
		catch (IOException ex) {
			writeFailure = ex;
		}
		finally {
			this.writeLock.unlock();
		}
		if (writeFailure != null) {
			try {
				failWrite(writeFailure);
			}
			catch (NsqException ex) {
				// reported through onClose
			}
		}
	}

	private void flushLocked() throws IOException {
		this.flushOwed = false;
		this.flushRequested = false;
		this.out.flush();
	}

	/**
	 * Flush commands written with {@code send(command, beforeWrite, false)}, waiting for
	 * the write lock (use {@link #requestFlush()} on threads that must not wait). A flush
	 * that finds other writers waiting leaves it to them. Does nothing on a closed
	 * connection.
	 * @throws NsqConnectionException when the write fails (the connection is then closed)
	 */
	public void flush() {
		this.writers.incrementAndGet();
		this.writeLock.lock();
		IOException writeFailure = null;
		try {
			if (this.writers.decrementAndGet() == 0) {
				if (isOpen()) {
					flushLocked();
				}
			}
			else {
				// a writer queued behind flushes for both, even one that sends without
				// flush
				this.flushOwed = true;
			}
		}
		catch (IOException ex) {
			writeFailure = ex;
		}
		finally {
			this.writeLock.unlock();
		}
		if (writeFailure != null) {
			failWrite(writeFailure);
		}
	}

	private void failWrite(IOException writeFailure) {
		NsqException failure = (this.failure != null) ? this.failure
				: new NsqConnectionException("write to " + this.source + " failed: " + writeFailure, writeFailure);
		terminate(failure);
		throw failure;
	}

	/**
	 * Close the socket now. Frames not yet read are dropped; commands not yet flushed are
	 * lost. The handler's {@link ConnectionHandler#onClose} is called once, with a
	 * {@code null} cause. Waits briefly for the reader thread to end unless called from
	 * it. Idempotent.
	 */
	@Override
	public void close() {
		if (this.closing.compareAndSet(false, true)) {
			closeSocket();
		}
		if (Thread.currentThread() != this.readerThread) {
			try {
				this.readerThread.join(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	void checkWriteStall(long now) {
		long started = this.out.writingSinceNanos();
		if (started != 0 && now - started > this.writeTimeoutNanos) {
			terminate(new NsqTimeoutException("write to " + this.source + " blocked longer than write_timeout ("
					+ this.config.getWriteTimeout() + "); closing the connection"));
		}
	}

	private void readLoop() {
		NsqException cause = null;
		ConnectionHandler handler = this.handler;
		MessageReceiver messages = (timestamp, attempts, idHigh, idLow, body) -> handler.onMessage(this, timestamp,
				attempts, idHigh, idLow, body);
		int batchMessages = 0;
		try {
			while (isOpen()) {
				Frame frame = this.reader.read(messages);
				if (frame == null) {
					// a message, given to the handler
					batchMessages++;
				}
				if (!this.reader.hasBufferedFrame()) {
					int count = batchMessages;
					batchMessages = 0;
					handler.onReadBatchEnd(this, count);
				}
				if (frame == null) {
					continue;
				}
				if (frame instanceof Frame.Response response) {
					if (response.isHeartbeat()) {
						send(NsqCommand.nop());
					}
					else {
						this.handler.onResponse(this, response);
					}
				}
				else {
					Frame.Error error = (Frame.Error) frame;
					if (error.code().isFatal()) {
						this.lastFatalError = NsqProtocolException.fromErrorFrame(error.text());
					}
					this.handler.onError(this, error);
				}
			}
		}
		catch (SocketTimeoutException ex) {
			cause = new NsqTimeoutException("no data from " + this.source + " within read_timeout ("
					+ this.config.getReadTimeout() + "); closing the connection", ex);
		}
		catch (IOException ex) {
			cause = new NsqConnectionException("connection to " + this.source + " lost: " + ex, ex);
		}
		catch (NsqConnectionException ex) {
			// a fatal error frame explains an end of stream better than the end of stream
			// itself
			cause = (this.lastFatalError != null) ? this.lastFatalError : ex;
		}
		catch (NsqException ex) {
			cause = ex;
		}
		catch (RuntimeException | Error ex) {
			cause = new NsqConnectionException("handler of " + this.source + " failed; closing the connection: " + ex,
					ex);
		}
		finally {
			try {
				// what was queued before a failure still wakes its consumers
				handler.onReadBatchEnd(this, batchMessages);
			}
			catch (RuntimeException ex) {
				logger.debug("Batch end handler of {} failed", this.source, ex);
			}
			terminate(cause);
			notifyClosed();
		}
	}

	private void terminate(NsqException cause) {
		if (this.terminated.compareAndSet(false, true)) {
			if (!this.closing.get() && cause != null) {
				this.failure = cause;
			}
			closeSocket();
		}
	}

	private void notifyClosed() {
		WriteWatchdog.unregister(this);
		NsqException cause = this.closing.get() ? null : this.failure;
		if (cause != null) {
			logger.debug("Connection to {} closed: {}", this.source, cause.getMessage());
		}
		try {
			this.handler.onClose(this, cause);
		}
		catch (RuntimeException ex) {
			logger.warn("Close handler of {} failed", this.source, ex);
		}
	}

	private void closeSocket() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			logger.debug("Closing socket to {} failed", this.source, ex);
		}
	}

	private NsqException closedException() {
		NsqException failure = this.failure;
		if (failure != null) {
			return new NsqConnectionException("connection to " + this.source + " is closed: " + failure.getMessage(),
					failure);
		}
		return new NsqConnectionException("connection to " + this.source + " is closed");
	}

	@Override
	public String toString() {
		return "NsqConnection[" + this.address + (isOpen() ? "" : ", closed") + "]";
	}

	/**
	 * The steps before the connection is usable, and what they produced.
	 */
	private static final class Handshake {

		NsqAddress address;

		Socket socket;

		IdentifyResponse identify;

		AuthResponse auth;

		FrameReader reader;

		OutputBuffer out;

		static Handshake perform(NsqAddress address, NsqConfig config) {
			Handshake handshake = new Handshake();
			handshake.address = address;
			String source = "nsqd " + address;
			Socket socket = new Socket();
			handshake.socket = socket;
			try {
				socket.setTcpNoDelay(true);
				socket.setKeepAlive(true);
				if (config.getLocalAddress() != null) {
					socket.bind(config.getLocalAddress());
				}
				socket.connect(new InetSocketAddress(address.host(), address.port()), millis(config.getDialTimeout()));
				socket.setSoTimeout(millis(config.getReadTimeout()));
				handshake.negotiate(config, source);
				return handshake;
			}
			catch (SocketTimeoutException ex) {
				closeQuietly(socket);
				throw new NsqTimeoutException("timed out connecting to " + source + " (dial_timeout "
						+ config.getDialTimeout() + ", read_timeout " + config.getReadTimeout() + ")", ex);
			}
			catch (SSLException ex) {
				closeQuietly(socket);
				throw new NsqConnectionException("TLS handshake with " + source + " failed: " + ex.getMessage(), ex);
			}
			catch (IOException ex) {
				closeQuietly(socket);
				throw new NsqConnectionException("cannot connect to " + source + ": " + ex, ex);
			}
			catch (RuntimeException ex) {
				closeQuietly(socket);
				throw ex;
			}
		}

		private void negotiate(NsqConfig config, String source) throws IOException {
			InputStream in = this.socket.getInputStream();
			OutputStream rawOut = this.socket.getOutputStream();
			ByteArrayOutputStream hello = new ByteArrayOutputStream(512);
			hello.write(NsqCommand.MAGIC_V2);
			NsqCommand.identify(identifyBody(config)).writeTo(hello);
			rawOut.write(hello.toByteArray());
			rawOut.flush();
			this.identify = readIdentify(FrameReader.readExactly(in, source), source);
			if (config.isTlsV1() && !this.identify.tlsV1()) {
				throw new NsqConnectionException(source + " did not negotiate TLS although tls_v1 is enabled "
						+ "(does nsqd have --tls-cert and --tls-key?); refusing to continue in plain text");
			}
			OutputStream out = rawOut;
			if (this.identify.tlsV1()) {
				SSLSocket ssl = TlsUpgrade.upgrade(this.socket, this.address, config.getTlsConfig());
				in = ssl.getInputStream();
				out = ssl.getOutputStream();
				expectOk(in, source, "TLS");
			}
			if (this.identify.deflate()) {
				int level = (this.identify.deflateLevel() > 0) ? this.identify.deflateLevel()
						: config.getDeflateLevel();
				in = Compression.deflateInput(in);
				out = Compression.deflateOutput(out, level);
				expectOk(in, source, "deflate");
			}
			else if (this.identify.snappy()) {
				in = Compression.snappyInput(in);
				out = Compression.snappyOutput(out);
				expectOk(in, source, "snappy");
			}
			this.reader = new FrameReader(in, source, config.getMaxMsgSize(), BUFFER_SIZE);
			this.out = new OutputBuffer(out, BUFFER_SIZE);
			if (this.identify.authRequired()) {
				authenticate(config, source);
			}
		}

		private void authenticate(NsqConfig config, String source) throws IOException {
			String secret = config.getAuthSecret();
			if (secret == null || secret.isEmpty()) {
				throw NsqAuthException.secretRequired(this.address.toString());
			}
			NsqCommand.auth(secret.getBytes(StandardCharsets.UTF_8)).writeTo(this.out);
			this.out.flush();
			Frame frame = this.reader.read();
			if (frame instanceof Frame.Error error) {
				NsqProtocolException rejected = NsqProtocolException.fromErrorFrame(error.text());
				if (rejected instanceof NsqAuthException) {
					throw rejected;
				}
				throw new NsqAuthException(rejected.code(), error.text());
			}
			if (!(frame instanceof Frame.Response response)) {
				throw new NsqConnectionException("unexpected " + frame + " from " + source + " in answer to AUTH");
			}
			try {
				this.auth = AuthResponse.parse(response.text());
			}
			catch (JsonParseException ex) {
				throw new NsqConnectionException(
						"invalid AUTH answer from " + source + ": " + ex.getMessage() + ": " + response.text(), ex);
			}
		}

		private static IdentifyResponse readIdentify(Frame frame, String source) {
			if (frame instanceof Frame.Error error) {
				throw NsqProtocolException.fromErrorFrame(error.text());
			}
			if (!(frame instanceof Frame.Response response)) {
				throw new NsqConnectionException("unexpected " + frame + " from " + source + " in answer to IDENTIFY");
			}
			if (response.isOk()) {
				return IdentifyResponse.withoutNegotiation();
			}
			try {
				return IdentifyResponse.parse(response.text());
			}
			catch (JsonParseException ex) {
				throw new NsqConnectionException("invalid IDENTIFY answer from " + source + ": " + ex.getMessage()
						+ ": " + abbreviate(response.text()), ex);
			}
		}

		private static void expectOk(InputStream in, String source, String upgrade) throws IOException {
			Frame frame = FrameReader.readExactly(in, source);
			if (frame instanceof Frame.Error error) {
				throw NsqProtocolException.fromErrorFrame(error.text());
			}
			if (!(frame instanceof Frame.Response response) || !response.isOk()) {
				throw new NsqConnectionException(
						"invalid response from " + source + " after the " + upgrade + " upgrade: " + frame);
			}
		}

		static byte[] identifyBody(NsqConfig config) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("client_id", config.getClientId());
			body.put("hostname", config.getHostname());
			body.put("user_agent", config.getUserAgent());
			body.put("feature_negotiation", true);
			body.put("heartbeat_interval",
					config.isHeartbeatDisabled() ? -1 : config.getHeartbeatInterval().toMillis());
			body.put("output_buffer_size", config.getOutputBufferSize());
			body.put("output_buffer_timeout",
					config.getOutputBufferTimeout().isNegative() ? -1 : config.getOutputBufferTimeout().toMillis());
			body.put("tls_v1", config.isTlsV1());
			body.put("snappy", config.isSnappy());
			body.put("deflate", config.isDeflate());
			body.put("deflate_level", config.getDeflateLevel());
			body.put("sample_rate", config.getSampleRate());
			body.put("msg_timeout", config.getMsgTimeout().toMillis());
			body.put("topology_region", config.getTopologyRegion());
			body.put("topology_zone", config.getTopologyZone());
			return Json.write(body).getBytes(StandardCharsets.UTF_8);
		}

		private static String abbreviate(String text) {
			return (text.length() <= 200) ? text : text.substring(0, 200) + "...";
		}

		private static int millis(Duration duration) {
			return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
		}

		private static void closeQuietly(Socket socket) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// nothing more to do
			}
		}

	}

}
