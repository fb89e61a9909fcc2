package io.lanthorn.sink.sqlite;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.lanthorn.api.Counter;
import io.lanthorn.api.Metrics;
import io.lanthorn.api.PipelineStats;
import io.lanthorn.api.PluginContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link PluginContext} as the launcher would give the sink, with settable clock and totals. */
final class TestContext implements PluginContext {
  private final Config config;
  private final TestMetrics metrics = new TestMetrics();
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
  private final AtomicReference<PipelineStats> stats =
      new AtomicReference<>(new PipelineStats(0, Map.of(), Map.of(), Map.of(), Map.of()));

  private TestContext(Config config) {
    this.config = config;
  }

  /** The sink's reference.conf with {@code path} set and the given overrides. */
  static TestContext forFile(Path file, Map<String, Object> overrides) {
    Map<String, Object> values = new java.util.HashMap<>(overrides);
    values.put("path", file.toString());
    Config section =
        ConfigFactory.parseMap(values)
            .withFallback(ConfigFactory.parseResources("reference.conf").getConfig("sink-sqlite"));
    return new TestContext(section.resolve());
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
    return metrics.value(name);
  }

  @Override
  public String pluginName() {
    return SqliteSink.NAME;
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public Logger logger() {
    return LoggerFactory.getLogger(SqliteSink.NAME);
  }

  @Override
  public Metrics metrics() {
    return metrics;
  }

  @Override
  public Clock clock() {
    return new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
  }

  @Override
  public PipelineStats pipelineStats() {
    return stats.get();
  }

  private static final class TestMetrics implements Metrics {
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    @Override
    public Counter counter(String name, String description) {
      AtomicLong value = counters.computeIfAbsent(name, n -> new AtomicLong());
      return new Counter() {
        @Override
        public void add(long amount) {
          value.addAndGet(amount);
        }

        @Override
        public long get() {
          return value.get();
        }
      };
    }

    @Override
    public void gauge(String name, String description, LongSupplier value) {}

    @Override
    public Map<String, Long> snapshot() {
      Map<String, Long> snapshot = new TreeMap<>();
      counters.forEach((name, value) -> snapshot.put(SqliteSink.NAME + "." + name, value.get()));
      return snapshot;
    }

    long value(String name) {
      AtomicLong value = counters.get(name);
      return value == null ? 0 : value.get();
    }
  }
}
