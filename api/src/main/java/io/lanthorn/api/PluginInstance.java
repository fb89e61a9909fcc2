package io.lanthorn.api;

/**
 * What a {@link PluginFactory} creates: a running {@link EventSource}, {@link Enricher} or {@link
 * Sink} (or an object that is several of them). Its fields are final: everything it needs was
 * prepared in {@link PluginFactory#create}.
 */
public interface PluginInstance extends AutoCloseable {

  /**
   * Releases everything the instance holds. Called once, after the last event was handed to it.
   * Must not throw for resources that are already released.
   */
  @Override
  void close() throws Exception;
}
