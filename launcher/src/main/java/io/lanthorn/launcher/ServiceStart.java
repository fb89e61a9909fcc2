package io.lanthorn.launcher;

import io.lanthorn.api.Plugin;
import io.lanthorn.launcher.plugin.ContextClassLoader;
import io.lanthorn.launcher.plugin.DiscoveredService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One plugin service's {@code start}, running on a thread of its own ({@code
 * lanthorn-start-<name>}) with the plugin's class loader as context class loader, so that services
 * start side by side.
 *
 * <p>A service whose start fails is closed right there, as the API promises; the failure is kept
 * for the agent, which reports it once every start has ended.
 */
final class ServiceStart {
  private static final Logger log = LoggerFactory.getLogger(ServiceStart.class);

  private final DiscoveredService service;
  private final Thread thread;
  // Written by the start thread, read only after joining it.
  private Throwable failure;

  private ServiceStart(DiscoveredService service, ContextClassLoader.PluginCall call) {
    this.service = service;
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name("lanthorn-start-" + service.name())
            .unstarted(() -> run(call));
  }

  /** Starts {@code call}, the service's start, on its own thread. */
  static ServiceStart begin(DiscoveredService service, ContextClassLoader.PluginCall call) {
    ServiceStart start = new ServiceStart(service, call);
    start.thread.start();
    return start;
  }

  // Anything a plugin's start throws, Errors included, is that plugin's failure to start: the
  // agent must hear of it rather than lose it with this thread.
  @SuppressWarnings("CatchingUnchecked")
  private void run(ContextClassLoader.PluginCall call) {
    try {
      ContextClassLoader.run(service.loader(), call);
    } catch (Throwable e) {
      failure = e;
      log.debug("{} {} failed to start", service.kind().label(), service.name(), e);
      // The API promises close() also after a failed start.
      Agent.call(service, "close", () -> service.as(Plugin.class).close());
    }
  }

  /** Waits until the start has ended, successfully or not. */
  void await() throws InterruptedException {
    thread.join();
  }

  /** The service. */
  DiscoveredService service() {
    return service;
  }

  /**
   * What its start threw (it has been closed then), or {@code null}; valid after {@link #await}.
   */
  Throwable failure() {
    return failure;
  }
}
