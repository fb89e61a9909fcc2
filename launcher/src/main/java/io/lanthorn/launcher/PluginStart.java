package io.lanthorn.launcher;

import io.lanthorn.api.PluginInstance;
import io.lanthorn.api.PluginKind;
import io.lanthorn.launcher.plugin.ContextClassLoader;
import io.lanthorn.launcher.plugin.InstalledPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One plugin's {@code create}, running on a thread of its own ({@code lanthorn-start-<name>}) with
 * the plugin's class loader as context class loader, so that plugins start side by side.
 *
 * <p>An instance that is not of every kind its factory declared is closed right there and counts as
 * a failure; the failure is kept for the agent, which reports it once every creation has ended.
 */
final class PluginStart {
  private static final Logger log = LoggerFactory.getLogger(PluginStart.class);

  private final InstalledPlugin plugin;
  private final Thread thread;
  // Written by the start thread, read only after joining it.
  private PluginInstance instance;
  private Throwable failure;

  private PluginStart(InstalledPlugin plugin, AgentPluginContext context) {
    this.plugin = plugin;
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name("lanthorn-start-" + plugin.name())
            .unstarted(() -> run(context));
  }

  /** Starts creating the plugin's instance on its own thread. */
  static PluginStart begin(InstalledPlugin plugin, AgentPluginContext context) {
    PluginStart start = new PluginStart(plugin, context);
    start.thread.start();
    return start;
  }

  // Anything a factory throws, Errors included, is that plugin's failure to start: the agent must
  // hear of it rather than lose it with this thread.
  @SuppressWarnings("CatchingUnchecked")
  private void run(AgentPluginContext context) {
    try {
      PluginInstance created =
          ContextClassLoader.call(plugin.loader(), () -> plugin.factory().create(context));
      if (created == null) {
        throw new IllegalStateException(
            plugin.factory().getClass().getName() + ".create returned null");
      }
      for (PluginKind kind : plugin.kinds()) {
        if (!kind.type().isInstance(created)) {
          Agent.call(plugin, "close", created::close);
          throw new IllegalStateException(
              plugin.factory().getClass().getName()
                  + " declares the kind "
                  + kind.label()
                  + ", but create returned a "
                  + created.getClass().getName()
                  + ", which is not a "
                  + kind.type().getSimpleName());
        }
      }
      instance = created;
    } catch (Throwable e) {
      failure = e;
      log.debug("{} {} failed to start", plugin.kindLabel(), plugin.name(), e);
    }
  }

  /** Waits until the creation has ended, successfully or not. */
  void await() throws InterruptedException {
    thread.join();
  }

  /** The plugin. */
  InstalledPlugin plugin() {
    return plugin;
  }

  /** The instance, or {@code null} when creation failed; valid after {@link #await}. */
  PluginInstance instance() {
    return instance;
  }

  /** What its creation threw, or {@code null}; valid after {@link #await}. */
  Throwable failure() {
    return failure;
  }
}
