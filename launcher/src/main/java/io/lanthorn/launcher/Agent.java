package io.lanthorn.launcher;

import io.lanthorn.api.Enricher;
import io.lanthorn.api.EventSource;
import io.lanthorn.api.PipelineStats;
import io.lanthorn.api.PluginKind;
import io.lanthorn.api.Sink;
import io.lanthorn.launcher.config.EffectiveConfig;
import io.lanthorn.launcher.config.Enablement;
import io.lanthorn.launcher.metrics.MetricsRegistry;
import io.lanthorn.launcher.metrics.PluginMetrics;
import io.lanthorn.launcher.pipeline.EnricherOrder;
import io.lanthorn.launcher.pipeline.Pipeline;
import io.lanthorn.launcher.pipeline.PipelineSettings;
import io.lanthorn.launcher.pipeline.Running;
import io.lanthorn.launcher.pipeline.StatusReporter;
import io.lanthorn.launcher.plugin.ContextClassLoader;
import io.lanthorn.launcher.plugin.Failures;
import io.lanthorn.launcher.plugin.InstalledPlugin;
import io.lanthorn.launcher.plugin.PluginCatalog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: the enabled plugins' instances wired into a {@link Pipeline}.
 *
 * <p>Every enabled plugin's configuration is checked by its factory first; then every plugin is
 * created at once, each on its own thread; the pipeline starts taking events once every sink and
 * enricher exists, and sources emit into its bounded hand-off meanwhile. Stop order is sources,
 * drain, then closing sources, enrichers, sinks. A plugin that fails to start is fatal: the user
 * asked for it, and running without it silently would be worse. Once every creation has ended,
 * everything created is stopped and closed, and the error names the plugin and how to run without
 * it.
 */
public final class Agent {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final PluginCatalog catalog;
  private final EffectiveConfig config;
  private final PipelineSettings settings;
  private final MetricsRegistry registry;
  private final Clock clock;
  private final String hostName;
  private final List<InstalledPlugin> sources;
  private final List<InstalledPlugin> enrichers;
  private final List<InstalledPlugin> sinks;
  // Also read by the status thread.
  private final List<PluginStart> started = new CopyOnWriteArrayList<>();
  private volatile Pipeline pipeline;
  private StatusReporter status;
  private boolean running;

  /**
   * Chooses the enabled plugins.
   *
   * @throws LauncherException with {@link ExitCodes#NOTHING_TO_RUN} when no source or no sink is
   *     enabled
   */
  public Agent(
      PluginCatalog catalog, EffectiveConfig config, MetricsRegistry registry, Clock clock) {
    this(catalog, config, registry, clock, HostName.get());
  }

  /**
   * Chooses the enabled plugins; every plugin context reports {@code hostName} (the {@code
   * EventHeader.hostName} of this agent's events).
   *
   * @throws LauncherException with {@link ExitCodes#NOTHING_TO_RUN} when no source or no sink is
   *     enabled
   */
  public Agent(
      PluginCatalog catalog,
      EffectiveConfig config,
      MetricsRegistry registry,
      Clock clock,
      String hostName) {
    this.catalog = catalog;
    this.config = config;
    this.settings = PipelineSettings.from(config.launcher());
    this.registry = registry;
    this.clock = clock;
    this.hostName = hostName;
    this.sources = enabled(PluginKind.SOURCE);
    this.enrichers = enabled(PluginKind.ENRICHER);
    this.sinks = enabled(PluginKind.SINK);
    if (sources.isEmpty()) {
      throw nothingToRun(
          PluginKind.SOURCE, "no event source is installed or enabled: nothing can be monitored");
    }
    if (sinks.isEmpty()) {
      throw nothingToRun(
          PluginKind.SINK, "no sink is installed or enabled: events would have nowhere to go");
    }
  }

  /**
   * Checks every enabled plugin's configuration, then creates every enabled plugin and starts the
   * pipeline.
   *
   * <p>Every plugin is created on its own thread, all at once: a sink's creation (opening and
   * migrating a database), an enricher's (connecting to Docker) and a source's (loading a kernel
   * program) take long and depend on each other in nothing but the pipeline. Sources may emit
   * before the sinks exist: their events wait in the pipeline's bounded hand-off (with overflow
   * {@code block} the source is made to wait when it is full), and the pipeline starts taking them
   * once every sink and enricher exists, so no enricher or sink sees an event before its creation
   * returned.
   *
   * @throws LauncherException with {@link ExitCodes#FAILURE} naming the plugin that failed to start
   *     (the first in the order sinks, enrichers, sources when several did), after every creation
   *     ended and everything created was stopped and closed
   */
  public void start() {
    List<InstalledPlugin> consumersToCreate = distinct(sinks, enrichers);
    List<InstalledPlugin> producersToCreate = new ArrayList<>(sources);
    producersToCreate.removeAll(consumersToCreate);
    for (InstalledPlugin plugin : concat(consumersToCreate, producersToCreate)) {
      validate(plugin);
    }
    pipeline = new Pipeline(settings, sinks.stream().map(InstalledPlugin::name).toList(), registry);
    List<PluginStart> consumers = new ArrayList<>();
    for (InstalledPlugin plugin : consumersToCreate) {
      consumers.add(PluginStart.begin(plugin, context(plugin)));
    }
    List<PluginStart> producers = new ArrayList<>();
    for (InstalledPlugin plugin : producersToCreate) {
      producers.add(PluginStart.begin(plugin, context(plugin)));
    }
    List<Running<Enricher>> orderedEnrichers = List.of();
    if (awaitAll(consumers)) {
      orderedEnrichers =
          EnricherOrder.sort(
              running(consumers, enrichers, Enricher.class),
              settings.enricherOrder(),
              enrichers.stream()
                  .collect(
                      Collectors.toMap(
                          InstalledPlugin::name, plugin -> plugin.factory().enrichAfter())));
      pipeline.start(orderedEnrichers, running(consumers, sinks, Sink.class));
      Pipeline statusOf = pipeline;
      status =
          new StatusReporter(
              () -> statusOf.statusLine() + pluginStatus(), settings.statusInterval());
    }
    awaitAll(producers);
    LauncherException failure = null;
    for (PluginStart start : concat(consumers, producers)) {
      if (start.failure() == null) {
        started.add(start);
      } else if (failure == null) {
        failure = startFailure(start.plugin(), start.failure());
      } else {
        log.error("{}", startFailure(start.plugin(), start.failure()).getMessage());
      }
    }
    if (failure != null) {
      stop();
      throw failure;
    }
    running = true;
    log.info(
        "pipeline running: sources {}, enrichers {}, sinks {}",
        sources.stream().map(InstalledPlugin::name).toList(),
        orderedEnrichers.stream().map(Running::name).toList(),
        sinks.stream().map(InstalledPlugin::name).toList());
  }

  /**
   * Stops the sources (they emit what is in flight), drains the pipeline into every sink, closes
   * every instance and, if it was running, logs the final status line. Safe to call after a failed
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
          for (PluginStart source : started.reversed()) {
            if (source.instance() instanceof EventSource eventSource) {
              call(source.plugin(), "stop", eventSource::stop);
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
    // Every event reached the sinks: the final line's figures are final, and the plugins can still
    // tell theirs.
    if (status != null) {
      status.close();
      if (running) {
        status.logFinal();
      }
      status = null;
    }
    // Sources first, sinks last: each instance is closed after the last event reached it.
    for (PluginKind kind : List.of(PluginKind.SOURCE, PluginKind.ENRICHER, PluginKind.SINK)) {
      for (PluginStart start : started.reversed()) {
        if (start.plugin().is(kind) && firstKind(start.plugin()) == kind) {
          call(start.plugin(), "close", start.instance()::close);
        }
      }
    }
    started.clear();
    running = false;
    return drained;
  }

  /** {@code | <plugin> <its status>} for every started plugin that reports counters of its own. */
  private String pluginStatus() {
    StringBuilder line = new StringBuilder();
    for (PluginStart start : started) {
      String own;
      try {
        own = start.instance().status();
      } catch (RuntimeException e) {
        own = "status unavailable (" + e.getClass().getSimpleName() + ")";
      }
      if (own != null && !own.isBlank()) {
        line.append(" | ").append(start.plugin().name()).append(' ').append(own.strip());
      }
    }
    return line.toString();
  }

  /** The pipeline's totals; zero before it started. */
  public PipelineStats stats() {
    Pipeline current = pipeline;
    return current == null
        ? new PipelineStats(0, Map.of(), Map.of(), Map.of(), Map.of())
        : current.stats();
  }

  /**
   * The kind an instance of several kinds is closed as: its first, in source-enricher-sink order.
   */
  private static PluginKind firstKind(InstalledPlugin plugin) {
    for (PluginKind kind : PluginKind.values()) {
      if (plugin.is(kind)) {
        return kind;
      }
    }
    throw new IllegalStateException(plugin.name() + " has no kind");
  }

  private void validate(InstalledPlugin plugin) {
    try {
      ContextClassLoader.run(
          plugin.loader(), () -> plugin.factory().validate(context(plugin).config()));
    } catch (Exception | LinkageError e) {
      throw startFailure(plugin, e);
    }
  }

  /**
   * Waits until every creation ended, also when interrupted meanwhile (a creation cannot be
   * abandoned: what it created must be closed); the interrupt is kept.
   *
   * @return whether every one succeeded
   */
  private static boolean awaitAll(List<PluginStart> starts) {
    boolean interrupted = false;
    boolean succeeded = true;
    for (PluginStart start : starts) {
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

  private static <T> List<Running<T>> running(
      List<PluginStart> starts, List<InstalledPlugin> plugins, Class<T> type) {
    List<Running<T>> result = new ArrayList<>();
    for (InstalledPlugin plugin : plugins) {
      for (PluginStart start : starts) {
        if (start.plugin().equals(plugin)) {
          result.add(new Running<>(plugin.name(), type.cast(start.instance()), plugin.loader()));
        }
      }
    }
    return result;
  }

  private static <T> List<T> concat(List<T> first, List<T> second) {
    List<T> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private static List<InstalledPlugin> distinct(
      List<InstalledPlugin> first, List<InstalledPlugin> second) {
    return List.copyOf(new LinkedHashSet<>(concat(first, second)));
  }

  static LauncherException startFailure(InstalledPlugin plugin, Throwable e) {
    return new LauncherException(
        ExitCodes.FAILURE,
        plugin.kindLabel()
            + " "
            + plugin.name()
            + " failed to start: "
            + Failures.describe(e)
            + " (to run without it: set "
            + plugin.name()
            + ".enabled = false, or remove "
            + plugin.location().path()
            + ")",
        e);
  }

  static void call(InstalledPlugin plugin, String what, ContextClassLoader.PluginCall call) {
    try {
      ContextClassLoader.run(plugin.loader(), call);
    } catch (Exception | LinkageError e) {
      log.error(
          "{} {}: {} failed: {}", plugin.kindLabel(), plugin.name(), what, Failures.describe(e));
      log.debug("{} {}: {} failure", plugin.kindLabel(), plugin.name(), what, e);
    }
  }

  private AgentPluginContext context(InstalledPlugin plugin) {
    Pipeline current = pipeline;
    return new AgentPluginContext(
        plugin.name(),
        config.pluginConfig(plugin.name()),
        LoggerFactory.getLogger(LogbackSetup.pluginLoggerName(plugin.name())),
        new PluginMetrics(registry, plugin.name()),
        clock,
        this::stats,
        hostName,
        // Enrichers too: one may report its own state (enricher-threat its feeds) to the sinks.
        (plugin.is(PluginKind.SOURCE) || plugin.is(PluginKind.ENRICHER)) && current != null
            ? current.emitter()
            : null);
  }

  private List<InstalledPlugin> enabled(PluginKind kind) {
    return catalog.plugins(kind).stream()
        .filter(p -> config.enablement(p.name()).enabled())
        .toList();
  }

  private LauncherException nothingToRun(PluginKind kind, String message) {
    String disabled =
        catalog.plugins(kind).stream()
            .map(
                p -> {
                  Enablement enablement = config.enablement(p.name());
                  return p.name() + " (disabled by " + enablement.decidedBy() + ")";
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
