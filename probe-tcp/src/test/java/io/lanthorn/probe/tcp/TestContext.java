package io.lanthorn.probe.tcp;

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

/** A plugin context as the launcher would give it: reference defaults plus overrides. */
final class TestContext implements PluginContext, Metrics {
  private final Config config;
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

  /**
   * @param overrides HOCON for keys inside the {@code probe-tcp} section, e.g. {@code ring-size=4K}
   */
  TestContext(String overrides) {
    Config reference = ConfigFactory.parseResources("reference.conf").getConfig("probe-tcp");
    this.config = ConfigFactory.parseString(overrides).withFallback(reference).resolve();
  }

  TestContext() {
    this("");
  }

  @Override
  public String pluginName() {
    return "probe-tcp";
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public Logger logger() {
    return LoggerFactory.getLogger("probe-tcp");
  }

  @Override
  public Metrics metrics() {
    return this;
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public PipelineStats pipelineStats() {
    return new PipelineStats(0, Map.of(), Map.of(), Map.of(), Map.of());
  }

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
    gauges.forEach((name, supplier) -> all.put(name, supplier.getAsLong()));
    return all;
  }

  long metric(String name) {
    Long value = snapshot().get(name);
    if (value == null) {
      throw new AssertionError("no metric " + name + " in " + snapshot());
    }
    return value;
  }
}
