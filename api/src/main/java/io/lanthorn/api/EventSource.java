package io.lanthorn.api;

/**
 * Produces {@link Event}s, e.g. from a kernel probe. Created capturing by {@link
 * PluginFactory#create}, which hands it the {@link PluginContext#emitter()}.
 *
 * <p>Lifecycle: created, then events flow to the emitter from any thread the source owns, then
 * {@link #stop} once, then {@link #close}.
 */
public interface EventSource extends PluginInstance {

  /**
   * Stops capturing. Before returning, emits every event already captured, including connection
   * attempts still in flight (as {@link Outcome#PENDING}), and reports any loss. Emits nothing
   * after it returns.
   */
  void stop() throws Exception;
}
