package io.lanthorn.launcher;

import io.lanthorn.api.EventEmitter;
import io.lanthorn.api.Metrics;
import io.lanthorn.api.PipelineStats;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The context a plugin's factory (or command) receives.
 *
 * @param pluginName the plugin's name
 * @param config its validated section, without the launcher's {@code enabled} key
 * @param logger a logger named after it
 * @param metrics the registry, prefixing names with its name
 * @param clock the wall clock
 * @param stats the pipeline's totals, read on each call
 * @param hostName this host's name
 * @param sourceEmitter the pipeline's emitter for a source, else {@code null}
 */
record AgentPluginContext(
    String pluginName,
    PluginConfig config,
    Logger logger,
    Metrics metrics,
    Clock clock,
    Supplier<PipelineStats> stats,
    String hostName,
    EventEmitter sourceEmitter)
    implements PluginContext {

  @Override
  public PipelineStats pipelineStats() {
    return stats.get();
  }

  @Override
  public EventEmitter emitter() {
    if (sourceEmitter == null) {
      throw new IllegalStateException(
          pluginName + " is not a source or enricher here: only their contexts have an emitter");
    }
    return sourceEmitter;
  }
}
