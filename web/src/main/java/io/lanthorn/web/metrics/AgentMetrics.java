package io.lanthorn.web.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every metric of the agent's registry as Prometheus families, read at each scrape. The pipeline's
 * per-sink, per-reason and per-enricher counters become one family with a label, e.g. {@code
 * lanthorn.sink.sink-sqlite.written} is {@code lanthorn_sink_written_total{sink="sink-sqlite"}};
 * every other name becomes {@code lanthorn_} and the name with dots and dashes as underscores.
 */
public final class AgentMetrics implements MultiCollector {
  private static final List<Rule> RULES =
      List.of(
          new Rule("lanthorn\\.sink\\.([a-z0-9_-]+)\\.(written|failed|queued)", "sink", "sink_"),
          new Rule("lanthorn\\.lost_at_source\\.([a-z0-9_.-]+)()", "reason", "lost_at_source"),
          new Rule("lanthorn\\.dropped\\.([a-z0-9_.-]+)()", "reason", "dropped"),
          new Rule("lanthorn\\.enricher\\.([a-z0-9_-]+)\\.(failed)", "enricher", "enricher_"));

  private final Supplier<List<MetricSample>> samples;

  /**
   * @param samples reads the agent's registry; called once per scrape
   */
  public AgentMetrics(Supplier<List<MetricSample>> samples) {
    this.samples = samples;
  }

  @Override
  public MetricSnapshots collect() {
    Map<String, Family> families = new LinkedHashMap<>();
    for (MetricSample sample : samples.get()) {
      Family.Point point = point(sample);
      families
          .computeIfAbsent(point.family(), name -> new Family(name, sample.kind(), sample.help()))
          .points()
          .add(point);
    }
    List<MetricSnapshot> snapshots = new ArrayList<>();
    families.values().forEach(family -> snapshots.add(family.snapshot()));
    return new MetricSnapshots(snapshots);
  }

  static Family.Point point(MetricSample sample) {
    for (Rule rule : RULES) {
      Matcher matcher = rule.pattern().matcher(sample.name());
      if (matcher.matches()) {
        return new Family.Point(
            "lanthorn_" + rule.family() + prometheusName(matcher.group(2)),
            Labels.of(rule.label(), matcher.group(1)),
            sample.value());
      }
    }
    String name =
        sample.name().startsWith("lanthorn.") ? sample.name().substring(9) : sample.name();
    return new Family.Point("lanthorn_" + prometheusName(name), Labels.EMPTY, sample.value());
  }

  /** Prometheus names allow letters, digits, underscores and colons. */
  static String prometheusName(String name) {
    String flat = name.replaceAll("[^a-zA-Z0-9_]", "_");
    // The client appends _total to counters itself and refuses names already ending in it.
    return flat.endsWith("_total") ? flat.substring(0, flat.length() - 6) : flat;
  }

  private record Rule(Pattern pattern, String label, String family) {
    Rule(String regex, String label, String family) {
      this(Pattern.compile(regex), label, family);
    }
  }

  record Family(String name, MetricSample.Kind kind, String help, List<Point> points) {
    Family(String name, MetricSample.Kind kind, String help) {
      this(name, kind, help, new ArrayList<>());
    }

    record Point(String family, Labels labels, long value) {}

    MetricSnapshot snapshot() {
      MetricMetadata metadata = new MetricMetadata(name, help.isEmpty() ? null : help);
      return switch (kind) {
        case COUNTER ->
            new CounterSnapshot(
                metadata,
                points.stream()
                    .map(
                        p ->
                            new CounterSnapshot.CounterDataPointSnapshot(
                                p.value(), p.labels(), null, 0L))
                    .toList());
        case GAUGE ->
            new GaugeSnapshot(
                metadata,
                points.stream()
                    .map(p -> new GaugeSnapshot.GaugeDataPointSnapshot(p.value(), p.labels(), null))
                    .toList());
        case UNKNOWN ->
            new UnknownSnapshot(
                metadata,
                points.stream()
                    .map(
                        p ->
                            new UnknownSnapshot.UnknownDataPointSnapshot(
                                p.value(), p.labels(), null))
                    .toList());
      };
    }
  }
}
