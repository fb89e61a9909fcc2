package io.lanthorn.sink.jsonl;

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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plugin context as the agent would give it: the reference defaults with the test's overrides.
 */
final class TestContext implements PluginContext {
  private final Config config;
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

  TestContext(String overrides) {
    this.config =
        ConfigFactory.parseString(overrides)
            .withFallback(ConfigFactory.parseResources("reference.conf").getConfig("sink-jsonl"))
            .resolve();
  }

  long counter(String name) {
    AtomicLong value = counters.get(name);
    return value == null ? 0 : value.get();
  }

  @Override
  public String pluginName() {
    return "sink-jsonl";
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public Logger logger() {
    return LoggerFactory.getLogger("sink-jsonl");
  }

  @Override
  public Metrics metrics() {
    return new Metrics() {
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
        Map<String, Long> values = new TreeMap<>();
        counters.forEach((name, value) -> values.put(name, value.get()));
        return values;
      }
    };
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public PipelineStats pipelineStats() {
    return new PipelineStats(0, Map.of(), Map.of(), Map.of(), Map.of());
  }
}
