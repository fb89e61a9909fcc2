package io.lanthorn.api;

import java.util.List;
import java.util.Set;

/**
 * Stores or forwards events. Every enabled sink receives every event of the {@linkplain #kinds()
 * kinds} it declares; the agent counts the others, per sink, as {@code unsupported_kind} (in the
 * status line and {@code <sink>.skipped} metrics), so a kind no sink stores is visible.
 *
 * <p>Each sink has its own thread and its own queue in the agent, so a slow sink does not delay the
 * others. The agent batches events and calls {@link #write} with at most one batch at a time.
 */
public interface Sink extends PluginInstance {

  /** The kinds of event this sink takes. */
  Set<EventKind> kinds();

  /**
   * Writes a batch and returns once it is durable: committed, flushed, or accepted by the remote
   * end. Returning normally is the sink's acknowledgement; the agent counts the batch as written.
   *
   * <p>Throwing means no event of the batch was written. The agent logs the message, retries as
   * configured, and then counts the batch as lost for this sink. Messages should say what failed
   * and what to do, on one line.
   *
   * @param batch events in the order they were emitted, each of a kind in {@link #kinds()}; the
   *     list must not be kept after return
   */
  void write(List<? extends Event> batch) throws Exception;
}
