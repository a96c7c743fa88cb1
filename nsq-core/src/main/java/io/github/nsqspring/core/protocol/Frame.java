package io.github.nsqspring.core.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One server → client frame of protocol V2: a response, an error or a message.
 */
public sealed interface Frame permits Frame.Response, Frame.Error, Frame.Message {

	/** Frame type of a response. */
	int TYPE_RESPONSE = 0;

	/** Frame type of an error. */
	int TYPE_ERROR = 1;

	/** Frame type of a message. */
	int TYPE_MESSAGE = 2;

	/** Bytes of a message frame's payload before the body: timestamp, attempts, id. */
	int MESSAGE_HEADER_SIZE = 8 + 2 + 16;

	/**
	 * A response frame (type 0): {@code OK}, {@code CLOSE_WAIT}, {@code _heartbeat_} or
	 * JSON.
	 *
	 * @param data the payload
	 */
	record Response(byte[] data) implements Frame {

		private static final byte[] HEARTBEAT = "_heartbeat_".getBytes(StandardCharsets.US_ASCII);

		private static final byte[] OK = "OK".getBytes(StandardCharsets.US_ASCII);

		/**
		 * The {@code OK} answer, shared: nsqd sends one per publish, and a reader hands
		 * this one out instead of allocating it each time. Its data must not be modified.
		 */
		static final Response OK_RESPONSE = new Response(OK);

		private static final byte[] CLOSE_WAIT = "CLOSE_WAIT".getBytes(StandardCharsets.US_ASCII);

		/**
		 * Whether this is nsqd's heartbeat, to be answered with NOP.
		 * @return {@code true} for {@code _heartbeat_}
		 */
		public boolean isHeartbeat() {
			return Arrays.equals(this.data, HEARTBEAT);
		}

		/**
		 * Whether this is {@code OK}.
		 * @return {@code true} for {@code OK}
		 */
		public boolean isOk() {
			return Arrays.equals(this.data, OK);
		}

		/**
		 * Whether this is {@code CLOSE_WAIT}, the answer to CLS.
		 * @return {@code true} for {@code CLOSE_WAIT}
		 */
		public boolean isCloseWait() {
			return Arrays.equals(this.data, CLOSE_WAIT);
		}

		/**
		 * The payload as UTF-8 text.
		 * @return the text
		 */
		public String text() {
			return new String(this.data, StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return "Response[" + text() + "]";
		}

	}

	/**
	 * An error frame (type 1), e.g. {@code E_INVALID cannot SUB in current state}.
	 *
	 * @param code the error code
	 * @param text the complete error text
	 */
	record Error(NsqErrorCode code, String text) implements Frame {

		/**
		 * Build from the frame payload.
		 * @param data the payload
		 * @return the frame
		 */
		public static Error of(byte[] data) {
			String text = new String(data, StandardCharsets.UTF_8);
			return new Error(NsqErrorCode.fromFrameText(text), text);
		}

	}

	/**
	 * A message frame (type 2).
	 *
	 * @param timestamp nanoseconds since the epoch when nsqd received the message
	 * @param attempts delivery attempt, 1 on first delivery
	 * @param id the 16-byte message id (ASCII hex)
	 * @param body the message body
	 */
	record Message(long timestamp, int attempts, byte[] id, byte[] body) implements Frame {

		/**
		 * The id as text.
		 * @return 16 characters
		 */
		public String idText() {
			return new String(this.id, StandardCharsets.US_ASCII);
		}

		@Override
		public String toString() {
			return "Message[id=" + idText() + ", attempts=" + this.attempts + ", timestamp=" + this.timestamp
					+ ", body=" + this.body.length + " bytes]";
		}

	}

}
