package io.lanthorn.launcher;

import com.typesafe.config.Config;
import io.lanthorn.api.Metrics;
import io.lanthorn.api.PipelineStats;
import io.lanthorn.api.PluginContext;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The context one plugin service receives at start.
 *
 * @param pluginName the service's name
 * @param config its validated section, without the launcher's {@code enabled} key
 * @param logger a logger named after it
 * @param metrics the registry, prefixing names with its name
 * @param clock the wall clock
 * @param stats the pipeline's totals, read on each call
 */
record AgentPluginContext(
    String pluginName,
    Config config,
    Logger logger,
    Metrics metrics,
    Clock clock,
    Supplier<PipelineStats> stats)
    implements PluginContext {

  @Override
  public PipelineStats pipelineStats() {
    return stats.get();
  }
}
