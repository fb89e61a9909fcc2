package io.lanthorn.enricher.docker;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.lanthorn.api.Counter;
import io.lanthorn.api.Metrics;
import io.lanthorn.api.PipelineStats;
import io.lanthorn.api.PluginContext;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The context the agent would give the plugin: its reference config plus overrides. */
final class TestContext implements PluginContext {
  private final Config config;
  private final TestMetrics metrics = new TestMetrics();

  TestContext(String overrides) {
    config =
        ConfigFactory.parseString(overrides)
            .withFallback(
                ConfigFactory.parseResources("reference.conf").getConfig(DockerEnricher.NAME))
            .resolve();
  }

  @Override
  public String pluginName() {
    return DockerEnricher.NAME;
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public Logger logger() {
    return LoggerFactory.getLogger(DockerEnricher.NAME);
  }

  @Override
  public TestMetrics metrics() {
    return metrics;
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public PipelineStats pipelineStats() {
    return new PipelineStats(0, Map.of(), Map.of(), Map.of(), Map.of());
  }

  /** Metrics kept in maps, named without the plugin prefix. */
  static final class TestMetrics implements Metrics {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

    @Override
    public Counter counter(String name, String description) {
      LongAdder adder = counters.computeIfAbsent(name, n -> new LongAdder());
      return new Counter() {
        @Override
        public void add(long amount) {
          adder.add(amount);
        }

        @Override
        public long get() {
          return adder.sum();
        }
      };
    }

    @Override
    public void gauge(String name, String description, LongSupplier value) {
      gauges.put(name, value);
    }

    @Override
    public Map<String, Long> snapshot() {
      Map<String, Long> all = new TreeMap<>();
      counters.forEach((name, adder) -> all.put(name, adder.sum()));
      gauges.forEach((name, value) -> all.put(name, value.getAsLong()));
      return all;
    }

    long get(String name) {
      return snapshot().getOrDefault(name, 0L);
    }
  }
}
