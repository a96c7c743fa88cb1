package io.github.nsqspring.core.protocol;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A command as written to nsqd's stream. {@link NsqCommand} is the general one; a
 * producer may encode its publishes itself with the helpers of {@link NsqCommand}
 * ({@code pubLine}, {@code writePub}, {@code writeMpubStart}, {@code writeMessage}), so
 * that a publish allocates no command object of its own.
 */
public interface WireCommand {

	/**
	 * Write the command's bytes.
	 * @param out the connection's buffered stream
	 * @throws IOException when writing fails
	 */
	void writeTo(OutputStream out) throws IOException;

}
