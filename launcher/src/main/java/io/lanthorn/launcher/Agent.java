package io.lanthorn.launcher;

import io.lanthorn.api.Enricher;
import io.lanthorn.api.EventSource;
import io.lanthorn.api.PipelineStats;
import io.lanthorn.api.Plugin;
import io.lanthorn.api.Sink;
import io.lanthorn.launcher.config.EffectiveConfig;
import io.lanthorn.launcher.config.Enablement;
import io.lanthorn.launcher.metrics.MetricsRegistry;
import io.lanthorn.launcher.metrics.PluginMetrics;
import io.lanthorn.launcher.pipeline.EnricherOrder;
import io.lanthorn.launcher.pipeline.Pipeline;
import io.lanthorn.launcher.pipeline.PipelineSettings;
import io.lanthorn.launcher.pipeline.PluginInstance;
import io.lanthorn.launcher.pipeline.StatusReporter;
import io.lanthorn.launcher.plugin.ContextClassLoader;
import io.lanthorn.launcher.plugin.DiscoveredService;
import io.lanthorn.launcher.plugin.Failures;
import io.lanthorn.launcher.plugin.PluginCatalog;
import io.lanthorn.launcher.plugin.ServiceKind;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: the enabled plugin services wired into a {@link Pipeline}.
 *
 * <p>Every service starts at once, each on its own thread; the pipeline starts taking events once
 * every sink and enricher has started, and sources emit into its bounded hand-off meanwhile. Stop
 * order is sources, drain, then closing sources, enrichers, sinks. A service that fails to start is
 * fatal: the user asked for it, and running without it silently would be worse. Once every start
 * has ended, everything started is stopped and closed, and the error names the service and how to
 * run without it.
 */
public final class Agent {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final PluginCatalog catalog;
  private final EffectiveConfig config;
  private final PipelineSettings settings;
  private final MetricsRegistry registry;
  private final Clock clock;
  private final List<DiscoveredService> sources;
  private final List<DiscoveredService> enrichers;
  private final List<DiscoveredService> sinks;
  private final List<DiscoveredService> started = new ArrayList<>();
  private volatile Pipeline pipeline;
  private StatusReporter status;
  private boolean running;

  /**
   * Chooses the enabled services.
   *
   * @throws LauncherException with {@link ExitCodes#NOTHING_TO_RUN} when no source or no sink is
   *     enabled
   */
  public Agent(
      PluginCatalog catalog, EffectiveConfig config, MetricsRegistry registry, Clock clock) {
    this.catalog = catalog;
    this.config = config;
    this.settings = PipelineSettings.from(config.launcher());
    this.registry = registry;
    this.clock = clock;
    this.sources = enabled(ServiceKind.SOURCE);
    this.enrichers = enabled(ServiceKind.ENRICHER);
    this.sinks = enabled(ServiceKind.SINK);
    if (sources.isEmpty()) {
      throw nothingToRun(
          ServiceKind.SOURCE, "no event source is installed or enabled: nothing can be monitored");
    }
    if (sinks.isEmpty()) {
      throw nothingToRun(
          ServiceKind.SINK, "no sink is installed or enabled: events would have nowhere to go");
    }
  }

  /**
   * Starts every enabled service and the pipeline.
   *
   * <p>Every service starts on its own thread, all at once: a sink's start (opening and migrating a
   * database), an enricher's (connecting to Docker) and a source's (loading a kernel program) take
   * long and depend on each other in nothing but the pipeline. Sources may emit before the sinks
   * are ready: their events wait in the pipeline's bounded hand-off (with overflow {@code block}
   * the source is made to wait when it is full), and the pipeline starts taking them once every
   * sink and enricher has started, so no enricher or sink sees an event before its start returned.
   *
   * @throws LauncherException with {@link ExitCodes#FAILURE} naming the service that failed to
   *     start (the first in the order sinks, enrichers, sources when several did), after every
   *     start ended and everything started was stopped and closed
   */
  public void start() {
    List<PluginInstance<Enricher>> orderedEnrichers =
        EnricherOrder.sort(instances(enrichers, Enricher.class), settings.enricherOrder());
    pipeline = new Pipeline(settings, orderedEnrichers, instances(sinks, Sink.class), registry);
    List<ServiceStart> consumers = new ArrayList<>();
    for (DiscoveredService sink : sinks) {
      consumers.add(ServiceStart.begin(sink, () -> sink.as(Sink.class).start(context(sink))));
    }
    for (DiscoveredService enricher : enrichers) {
      consumers.add(
          ServiceStart.begin(enricher, () -> enricher.as(Enricher.class).start(context(enricher))));
    }
    Pipeline current = pipeline;
    List<ServiceStart> producers = new ArrayList<>();
    for (DiscoveredService source : sources) {
      producers.add(
          ServiceStart.begin(
              source,
              () -> source.as(EventSource.class).start(context(source), current.emitter())));
    }
    if (awaitAll(consumers)) {
      pipeline.start();
      status = new StatusReporter(pipeline, settings.statusInterval());
    }
    awaitAll(producers);
    LauncherException failure = null;
    for (ServiceStart start : concat(consumers, producers)) {
      if (start.failure() == null) {
        started.add(start.service());
      } else if (failure == null) {
        failure = startFailure(start.service(), start.failure());
      } else {
        log.error("{}", startFailure(start.service(), start.failure()).getMessage());
      }
    }
    if (failure != null) {
      stop();
      throw failure;
    }
    running = true;
    log.info(
        "pipeline running: sources {}, enrichers {}, sinks {}",
        sources.stream().map(DiscoveredService::name).toList(),
        orderedEnrichers.stream().map(PluginInstance::name).toList(),
        sinks.stream().map(DiscoveredService::name).toList());
  }

  /**
   * Stops the sources (they emit what is in flight), drains the pipeline into every sink, closes
   * every service and, if it was running, logs the final status line. Safe to call after a failed
   * start.
   *
   * @return whether every accepted event reached every sink before the drain timeout
   */
  public boolean stop() {
    boolean neverStarted = pipeline != null && !pipeline.isStarted();
    if (neverStarted) {
      // A sink or enricher failed to start, so nothing takes from the hand-off: close it before
      // stopping the sources, which may be waiting for room in it.
      pipeline.discard();
    }
    Runnable stopSources =
        () -> {
          for (DiscoveredService source : started.reversed()) {
            if (source.kind() == ServiceKind.SOURCE) {
              call(source, "stop", () -> source.as(EventSource.class).stop());
            }
          }
        };
    boolean drained = true;
    if (pipeline != null) {
      try {
        // Sources stop within the drain timeout too: what they still emit may wait for room.
        drained = pipeline.drainAfter(stopSources);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        drained = false;
      }
    } else {
      stopSources.run();
    }
    if (neverStarted && pipeline.stats().totalDropped() > 0) {
      log.warn(
          "{} events captured while the agent was starting are not stored: it failed to start",
          pipeline.stats().totalDropped());
    }
    // Sources first, sinks last: each service is closed after the last event reached it.
    for (ServiceKind kind : List.of(ServiceKind.SOURCE, ServiceKind.ENRICHER, ServiceKind.SINK)) {
      for (DiscoveredService service : started.reversed()) {
        if (service.kind() == kind) {
          call(service, "close", () -> service.as(Plugin.class).close());
        }
      }
    }
    started.clear();
    if (status != null) {
      status.close();
      if (running) {
        status.logFinal();
      }
      status = null;
    }
    running = false;
    return drained;
  }

  /** The pipeline's totals; zero before it started. */
  public PipelineStats stats() {
    Pipeline current = pipeline;
    return current == null
        ? new PipelineStats(0, Map.of(), Map.of(), Map.of(), Map.of())
        : current.stats();
  }

  /**
   * Waits until every start ended, also when interrupted meanwhile (a start cannot be abandoned:
   * what it started must be closed); the interrupt is kept.
   *
   * @return whether every one succeeded
   */
  private static boolean awaitAll(List<ServiceStart> starts) {
    boolean interrupted = false;
    boolean succeeded = true;
    for (ServiceStart start : starts) {
      while (true) {
        try {
          start.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      succeeded &= start.failure() == null;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return succeeded;
  }

  private static List<ServiceStart> concat(List<ServiceStart> first, List<ServiceStart> second) {
    List<ServiceStart> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private static LauncherException startFailure(DiscoveredService service, Throwable e) {
    return new LauncherException(
        ExitCodes.FAILURE,
        service.kind().label()
            + " "
            + service.name()
            + " failed to start: "
            + Failures.describe(e)
            + " (to run without it: set "
            + service.configSection()
            + ".enabled = false, or remove "
            + service.plugin().location().path()
            + ")",
        e);
  }

  static void call(DiscoveredService service, String what, ContextClassLoader.PluginCall call) {
    try {
      ContextClassLoader.run(service.loader(), call);
    } catch (Exception | LinkageError e) {
      log.error(
          "{} {}: {} failed: {}",
          service.kind().label(),
          service.name(),
          what,
          Failures.describe(e));
      log.debug("{} {}: {} failure", service.kind().label(), service.name(), what, e);
    }
  }

  private AgentPluginContext context(DiscoveredService service) {
    return new AgentPluginContext(
        service.name(),
        config.section(service.configSection()),
        LoggerFactory.getLogger(LogbackSetup.pluginLoggerName(service.name())),
        new PluginMetrics(registry, service.name()),
        clock,
        this::stats);
  }

  private List<DiscoveredService> enabled(ServiceKind kind) {
    return catalog.services(kind).stream()
        .filter(s -> config.enablement(s.configSection()).enabled())
        .toList();
  }

  private static <T> List<PluginInstance<T>> instances(
      List<DiscoveredService> services, Class<T> type) {
    return services.stream()
        .map(s -> new PluginInstance<>(s.name(), s.as(type), s.loader()))
        .toList();
  }

  private LauncherException nothingToRun(ServiceKind kind, String message) {
    String disabled =
        catalog.services(kind).stream()
            .map(
                s -> {
                  Enablement enablement = config.enablement(s.configSection());
                  return s.name() + " (disabled by " + enablement.decidedBy() + ")";
                })
            .collect(Collectors.joining(", "));
    return new LauncherException(
        ExitCodes.NOTHING_TO_RUN,
        message
            + " (plugins dir: "
            + catalog.directory().toAbsolutePath()
            + (disabled.isEmpty() ? "" : "; installed but disabled: " + disabled)
            + ")");
  }
}
