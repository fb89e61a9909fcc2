package io.lanthorn.api;

/**
 * What a {@link PluginFactory} creates: a running {@link EventSource}, {@link Enricher} or {@link
 * Sink} (or an object that is several of them). Its fields are final: everything it needs was
 * prepared in {@link PluginFactory#create}.
 */
public interface PluginInstance extends AutoCloseable {

  /**
   * The plugin's own counters for the agent's periodic status line, as {@code key=value} pairs
   * separated by spaces (e.g. {@code responses=120 named=97}); empty for none. Called from the
   * status thread, also while events flow, and once more for the final line before {@link #close}.
   * Must be cheap and must not throw.
   *
   * @since 2.1
   */
  default String status() {
    return "";
  }

  /**
   * Releases everything the instance holds. Called once, after the last event was handed to it.
   * Must not throw for resources that are already released.
   */
  @Override
  void close() throws Exception;
}
