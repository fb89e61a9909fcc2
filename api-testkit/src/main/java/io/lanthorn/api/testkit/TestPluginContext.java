package io.lanthorn.api.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.lanthorn.api.EventEmitter;
import io.lanthorn.api.PipelineStats;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import io.lanthorn.config.ConfigValidationException;
import io.lanthorn.config.ConfigValidator;
import io.lanthorn.config.HoconPluginConfig;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PluginContext} built the way the agent builds one: the plugin's section of the {@code
 * reference.conf} on the class path, with overrides on top. Immutable: each {@code with…} returns a
 * new context (sharing the metrics of the one it came from). Its {@link #config()} reads the HOCON
 * the same way the agent's does.
 */
public final class TestPluginContext implements PluginContext {
  private static final PipelineStats NO_STATS =
      new PipelineStats(0, Map.of(), Map.of(), Map.of(), Map.of());

  private final String pluginName;
  private final Config reference;
  private final Config config;
  private final TestMetrics metrics;
  private final Clock clock;
  private final Supplier<PipelineStats> stats;
  private final EventEmitter emitter;

  private TestPluginContext(
      String pluginName,
      Config reference,
      Config config,
      TestMetrics metrics,
      Clock clock,
      Supplier<PipelineStats> stats,
      EventEmitter emitter) {
    this.pluginName = pluginName;
    this.reference = reference;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
    this.stats = stats;
    this.emitter = emitter;
  }

  /**
   * The context for a plugin whose {@code reference.conf} (found through this class's loader, so
   * the test's class path) holds a section of that name.
   *
   * @throws com.typesafe.config.ConfigException.Missing when there is no such section
   */
  public static TestPluginContext forPlugin(String pluginName) {
    return fromReference(pluginName, ConfigFactory.parseResources("reference.conf"));
  }

  /**
   * The context for a plugin whose reference is this HOCON text (a {@code reference.conf} holding a
   * section named {@code pluginName}), e.g. one a test builds or a README shows.
   */
  public static TestPluginContext forPlugin(String pluginName, String referenceConf) {
    return fromReference(pluginName, ConfigFactory.parseString(referenceConf));
  }

  private static TestPluginContext fromReference(String pluginName, Config references) {
    Config reference = references.getConfig(pluginName).withoutPath("enabled").resolve();
    return new TestPluginContext(
        pluginName,
        reference,
        reference,
        new TestMetrics(),
        Clock.systemUTC(),
        () -> NO_STATS,
        null);
  }

  /**
   * This context with HOCON overrides for keys inside the section, e.g. {@code ring-size = 4K}.
   *
   * @throws IllegalArgumentException for an unknown key or a value of the wrong type, with the
   *     message the agent gives for it, so a misspelt override cannot silently test the default
   */
  public TestPluginContext with(String hocon) {
    return withConfig(ConfigFactory.parseString(hocon));
  }

  /**
   * This context with overrides for keys inside the section, keyed by path.
   *
   * @throws IllegalArgumentException for an unknown key or a value of the wrong type, as {@link
   *     #with(String)}
   */
  public TestPluginContext with(Map<String, ?> overrides) {
    return withConfig(ConfigFactory.parseMap(overrides));
  }

  private TestPluginContext withConfig(Config overrides) {
    Config merged = overrides.withFallback(config).resolve();
    try {
      ConfigValidator.validate(pluginName, reference.root(), merged.root());
    } catch (ConfigValidationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return new TestPluginContext(pluginName, reference, merged, metrics, clock, stats, emitter);
  }

  /** This context with another clock. */
  public TestPluginContext withClock(Clock newClock) {
    return new TestPluginContext(
        pluginName, reference, config, metrics, Objects.requireNonNull(newClock), stats, emitter);
  }

  /** This context reporting these pipeline totals to the plugin. */
  public TestPluginContext withPipelineStats(Supplier<PipelineStats> newStats) {
    return new TestPluginContext(
        pluginName, reference, config, metrics, clock, Objects.requireNonNull(newStats), emitter);
  }

  /** This context handing a source's events to this emitter, e.g. a {@link RecordingEmitter}. */
  public TestPluginContext withEmitter(EventEmitter newEmitter) {
    return new TestPluginContext(
        pluginName, reference, config, metrics, clock, stats, Objects.requireNonNull(newEmitter));
  }

  @Override
  public String pluginName() {
    return pluginName;
  }

  @Override
  public PluginConfig config() {
    return new HoconPluginConfig(pluginName, config);
  }

  @Override
  public Logger logger() {
    return LoggerFactory.getLogger("lanthorn." + pluginName);
  }

  /** The metrics the plugin registered, readable by name (without the plugin prefix). */
  @Override
  public TestMetrics metrics() {
    return metrics;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public PipelineStats pipelineStats() {
    return stats.get();
  }

  /** {@code test-host}, so that tests do not depend on the machine's name. */
  @Override
  public String hostName() {
    return "test-host";
  }

  /**
   * The emitter set with {@link #withEmitter}.
   *
   * @throws IllegalStateException when none was set, as the agent does for a plugin that is not a
   *     source
   */
  @Override
  public EventEmitter emitter() {
    if (emitter == null) {
      throw new IllegalStateException(
          pluginName + ": no emitter in this context: use withEmitter(new RecordingEmitter())");
    }
    return emitter;
  }
}
