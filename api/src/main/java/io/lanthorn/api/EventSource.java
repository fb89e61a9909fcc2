package io.lanthorn.api;

/**
 * Produces {@link ConnectionEvent}s, e.g. from a kernel probe.
 *
 * <p>Lifecycle: {@link #start} once, then events flow to the emitter from any thread the source
 * owns, then {@link #stop} once, then {@link #close}.
 */
public interface EventSource extends Plugin {

  /**
   * Starts capturing and returns once capture is running: an event that happens after this returns
   * will be emitted.
   *
   * @param context the plugin's configuration, logger, metrics and clock
   * @param emitter where to hand events; thread-safe
   * @throws PluginException with a one-line message saying what is wrong and what to do, when the
   *     source cannot capture (missing privilege, missing kernel support …)
   */
  void start(PluginContext context, EventEmitter emitter) throws Exception;

  /**
   * Stops capturing. Before returning, emits every event already captured, including attempts still
   * in flight (as {@link Outcome#PENDING}), and reports any loss. Emits nothing after it returns.
   */
  void stop() throws Exception;
}
