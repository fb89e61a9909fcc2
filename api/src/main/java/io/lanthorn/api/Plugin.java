package io.lanthorn.api;

/**
 * What every plugin service has in common: a name and a lifecycle ending in {@link #close()}.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} and need a public no-argument
 * constructor that does no work: the agent instantiates services to list them ({@code lanthorn
 * plugins}) without starting them. Work begins in {@code start}.
 *
 * <p>The {@linkplain #name() name} is also the plugin's configuration section: a plugin named
 * {@code sink-sqlite} ships a {@code reference.conf} holding only a {@code sink-sqlite { … }}
 * block, and receives that block, merged with the user's overrides, in {@link
 * PluginContext#config()}. Every section also accepts {@code enabled = false}, which the agent
 * handles.
 */
public interface Plugin extends AutoCloseable {

  /**
   * The plugin's name: lower-case letters, digits and dashes, e.g. {@code probe-tcp}. Stable across
   * releases, since users' configuration refers to it.
   */
  String name();

  /**
   * Releases everything the plugin holds. Called once, after the last event was handed to it, also
   * when {@code start} failed. Must not throw for a plugin that never started.
   */
  @Override
  void close() throws Exception;
}
