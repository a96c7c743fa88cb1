package io.github.nsqspring.benchmarks.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Synchronous publishing reduced to what a caller cannot avoid: each call writes its PUB
 * on one shared bare socket and parks until a reader thread, reading nsqd's answers in
 * order, wakes it. No client library, no futures, no coalescing of the callers' writes,
 * nothing allocated per call but a node in the queue of waiting callers. {@code T}
 * callers keep {@code T} PUBs unanswered as {@code T} synchronous callers of a client do,
 * and pay what each of them pays whatever the client: one park and one wake-up per call.
 * Its throughput and CPU per message are the floor against which a client's synchronous
 * publishing from platform threads is judged ({@code pub-sync --client bare-socket}).
 */
final class BareSocketPublisher implements BenchClient.Publisher {

	private static final int WAITING = 0;

	private static final int ANSWERED = 1;

	private static final int FAILED = 2;

	/** A call without an answer for this long fails the publisher instead of hanging. */
	private static final long ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

	private final Socket socket;

	private final OutputStream out;

	private final ReentrantLock writeLock = new ReentrantLock();

	/** The callers waiting for an answer, in the order their PUBs were written. */
	private final ConcurrentLinkedQueue<Call> waiting = new ConcurrentLinkedQueue<>();

	private final ThreadLocal<Call> calls = ThreadLocal.withInitial(Call::new);

	private final Thread reader;

	private volatile IOException failure;

	private volatile boolean closing;

	/**
	 * Connect and start reading.
	 * @param nsqdAddress nsqd TCP {@code host:port}
	 * @throws IOException when nsqd cannot be reached
	 */
	BareSocketPublisher(String nsqdAddress) throws IOException {
		this.socket = BareWire.connect(BareWire.address(nsqdAddress));
		this.out = this.socket.getOutputStream();
		this.reader = new Thread(this::readAnswers, "bare-socket-reader");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	@Override
	public void publish(String topic, byte[] body) throws IOException {
		Call call = this.calls.get();
		int length = call.command(topic, body);
		call.state = WAITING;
		this.writeLock.lock();
		try {
			throwIfFailed();
			this.waiting.add(call);
			this.out.write(call.command, 0, length);
		}
		catch (IOException ex) {
			fail(ex);
			throw ex;
		}
		finally {
			this.writeLock.unlock();
		}
		long deadline = System.nanoTime() + ANSWER_TIMEOUT_NANOS;
		while (call.state == WAITING) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				IOException timeout = new IOException("no answer from nsqd for 60 s");
				fail(timeout);
				throw timeout;
			}
			LockSupport.parkNanos(this, left);
		}
		if (call.state == FAILED) {
			throwIfFailed();
		}
	}

	@Override
	public void multiPublish(String topic, List<byte[]> bodies) {
		throw new UnsupportedOperationException(BareSocketClient.ONLY_WIRE_AND_SYNC);
	}

	@Override
	public void close() throws IOException, InterruptedException {
		this.closing = true;
		this.socket.close();
		// a call still waiting will never be answered
		fail(new IOException("the publisher was closed"));
		this.reader.join(TimeUnit.SECONDS.toMillis(10));
	}

	private void readAnswers() {
		BareWire.HeartbeatAnswer heartbeat = this::answerHeartbeat;
		try {
			BareWire.Answers answers = new BareWire.Answers(this.socket.getInputStream());
			while (true) {
				int oks = answers.read(heartbeat);
				if (oks < 0) {
					throw new EOFException("nsqd closed the connection");
				}
				for (int i = 0; i < oks; i++) {
					Call call = this.waiting.poll();
					if (call == null) {
						throw new IOException("nsqd answered a PUB that was not sent");
					}
					call.state = ANSWERED;
					LockSupport.unpark(call.thread);
				}
			}
		}
		catch (IOException ex) {
			if (!this.closing) {
				fail(ex);
			}
		}
	}

	private void answerHeartbeat() throws IOException {
		this.writeLock.lock();
		try {
			this.out.write(BareWire.NOP);
		}
		finally {
			this.writeLock.unlock();
		}
	}

	/**
	 * Fail every waiting call and every later one. A call enqueued before the failure was
	 * set (under the write lock) is drained here; one after it sees the failure.
	 */
	private void fail(IOException ex) {
		this.writeLock.lock();
		try {
			if (this.failure == null) {
				this.failure = ex;
			}
		}
		finally {
			this.writeLock.unlock();
		}
		for (Call call = this.waiting.poll(); call != null; call = this.waiting.poll()) {
			call.state = FAILED;
			LockSupport.unpark(call.thread);
		}
	}

	private void throwIfFailed() throws IOException {
		IOException failed = this.failure;
		if (failed != null) {
			throw new IOException(failed.getMessage(), failed);
		}
	}

	/**
	 * One caller thread's call, reused by its every publish.
	 */
	private static final class Call {

		final Thread thread = Thread.currentThread();

		volatile int state;

		byte[] command = new byte[0];

		private String topic;

		private byte[] head;

		/** Write the PUB into {@link #command}; returns its length. */
		int command(String topic, byte[] body) {
			if (!topic.equals(this.topic)) {
				this.topic = topic;
				this.head = BareWire.pubHead(topic);
			}
			int length = this.head.length + 4 + body.length;
			if (this.command.length < length) {
				this.command = new byte[length];
			}
			return BareWire.putPub(this.command, 0, this.head, body);
		}

	}

}
