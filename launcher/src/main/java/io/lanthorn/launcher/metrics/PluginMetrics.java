package io.lanthorn.launcher.metrics;

import io.lanthorn.api.Counter;
import io.lanthorn.api.Metrics;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The registry as one plugin sees it: the names it registers are prefixed with its own name.
 * Descriptions are accepted for the API's sake but not kept: nothing displays them yet.
 */
public final class PluginMetrics implements Metrics {
  private final MetricsRegistry registry;
  private final String prefix;

  /**
   * @param registry the agent's registry
   * @param pluginName the prefix, e.g. {@code sink-example}
   */
  public PluginMetrics(MetricsRegistry registry, String pluginName) {
    this.registry = registry;
    this.prefix = pluginName + ".";
  }

  @Override
  public Counter counter(String name, String description) {
    return registry.counter(prefix + name);
  }

  @Override
  public void gauge(String name, String description, LongSupplier value) {
    registry.gauge(prefix + name, value);
  }

  @Override
  public Map<String, Long> snapshot() {
    return registry.snapshot();
  }
}
