package io.lanthorn.api;

import java.util.List;

/**
 * Stores or forwards events. Every enabled sink receives every event.
 *
 * <p>Each sink has its own thread and its own queue in the agent, so a slow sink does not delay the
 * others. The agent batches events and calls {@link #write} with at most one batch at a time.
 */
public interface Sink extends Plugin {

  /** Prepares the sink (opens files, migrates schemas); called once before any batch. */
  void start(PluginContext context) throws Exception;

  /**
   * Writes a batch and returns once it is durable: committed, flushed, or accepted by the remote
   * end. Returning normally is the sink's acknowledgement; the agent counts the batch as written.
   *
   * <p>Throwing means no event of the batch was written. The agent logs the message, retries as
   * configured, and then counts the batch as lost for this sink. Messages should say what failed
   * and what to do, on one line.
   *
   * @param batch events in the order they were emitted; the list must not be kept after return
   */
  void write(List<ConnectionEvent> batch) throws Exception;
}
