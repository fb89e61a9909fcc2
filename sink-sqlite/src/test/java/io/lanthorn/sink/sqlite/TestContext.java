package io.lanthorn.sink.sqlite;

import io.lanthorn.api.EventEmitter;
import io.lanthorn.api.Metrics;
import io.lanthorn.api.PipelineStats;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.testkit.TestPluginContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;

/**
 * The api-testkit's context for the sink, with a clock and pipeline totals a test can set while the
 * sink runs (retention and health read them on their own schedule). The clock stands at {@link
 * TestEvents#NOW} until a test moves it: never the real clock, so tests pass on any date.
 */
final class TestContext implements PluginContext {
  private final AtomicReference<Instant> now = new AtomicReference<>(TestEvents.NOW);
  private final AtomicReference<PipelineStats> stats =
      new AtomicReference<>(new PipelineStats(0, Map.of(), Map.of(), Map.of(), Map.of()));
  private final TestPluginContext context;

  private TestContext(Map<String, Object> overrides) {
    Clock settable =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Instant instant() {
            return now.get();
          }
        };
    context =
        TestPluginContext.forPlugin(SqliteSink.NAME)
            .with(overrides)
            .withClock(settable)
            .withPipelineStats(stats::get);
  }

  /** The sink's reference.conf with {@code path} set and the given overrides. */
  static TestContext forFile(Path file, Map<String, Object> overrides) {
    Map<String, Object> values = new HashMap<>(overrides);
    values.put("path", file.toString());
    return new TestContext(values);
  }

  static TestContext forFile(Path file) {
    return forFile(file, Map.of());
  }

  /** Sets what {@link #clock()} returns. */
  void setNow(Instant instant) {
    now.set(instant);
  }

  /** Sets what {@link #pipelineStats()} returns. */
  void setStats(PipelineStats value) {
    stats.set(value);
  }

  /** A metric's value by its name without the plugin prefix, 0 when never registered. */
  long metric(String name) {
    return context.metrics().snapshot().getOrDefault(name, 0L);
  }

  @Override
  public String pluginName() {
    return context.pluginName();
  }

  @Override
  public PluginConfig config() {
    return context.config();
  }

  @Override
  public Logger logger() {
    return context.logger();
  }

  @Override
  public Metrics metrics() {
    return context.metrics();
  }

  @Override
  public Clock clock() {
    return context.clock();
  }

  @Override
  public PipelineStats pipelineStats() {
    return context.pipelineStats();
  }

  @Override
  public String hostName() {
    return context.hostName();
  }

  @Override
  public EventEmitter emitter() {
    return context.emitter();
  }
}
