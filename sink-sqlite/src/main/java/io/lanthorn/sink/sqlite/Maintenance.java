package io.lanthorn.sink.sqlite;

import io.lanthorn.api.Counter;
import io.lanthorn.api.PluginContext;
import io.lanthorn.sink.sqlite.store.EpochNanos;
import io.lanthorn.sink.sqlite.store.HealthRecorder;
import io.lanthorn.sink.sqlite.store.Jooq;
import io.lanthorn.sink.sqlite.store.Retention;
import io.lanthorn.sink.sqlite.store.SqliteErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.slf4j.Logger;

/**
 * Runs retention and health recording on a background thread with a connection of its own, so that
 * neither ever runs on (or delays) the pipeline's thread calling {@code write}.
 */
final class Maintenance implements AutoCloseable {
  private final Connection connection;
  private final HealthRecorder health;
  private final Retention retention;
  private final SinkSettings settings;
  private final Clock clock;
  private final Logger logger;
  private final Counter deleted;
  private final Counter failures;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("sink-sqlite-maintenance").daemon().factory());
  private final Runnable rollupFlush;
  private volatile boolean closing;

  /**
   * @param connection used only by this object, closed with it
   * @param context supplies the clock, logger, metrics and pipeline totals
   * @param written the sink's count of committed events, for health rows
   * @param rollupFlush adds rollup tallies that have waited their interval to the tables, when no
   *     batch came to do it (the sink's writer, under its lock)
   */
  Maintenance(
      Connection connection,
      SinkSettings settings,
      PluginContext context,
      Counter written,
      Runnable rollupFlush) {
    this.rollupFlush = rollupFlush;
    DSLContext dsl = Jooq.using(connection);
    this.connection = connection;
    this.settings = settings;
    this.clock = context.clock();
    this.logger = context.logger();
    this.health =
        new HealthRecorder(
            dsl,
            context.pluginName(),
            context::pipelineStats,
            written,
            context.metrics()::snapshot,
            nowNanos());
    this.retention = new Retention(dsl, settings.retentionChunk());
    this.deleted = context.metrics().counter("retention.deleted", "events deleted by retention");
    this.failures =
        context
            .metrics()
            .counter("maintenance.failed", "retention or health runs that failed (logged)");
  }

  /**
   * Schedules a health row every health interval, the rollup tallies that waited every flush
   * interval and, when enabled, retention at once and then every retention interval.
   */
  @SuppressWarnings("FutureReturnValueIgnored") // guarded() handles every failure inside the task
  void start() {
    long healthMillis = settings.healthInterval().toMillis();
    scheduler.scheduleAtFixedRate(
        () -> guarded("record health", () -> health.record(nowNanos())),
        healthMillis,
        healthMillis,
        TimeUnit.MILLISECONDS);
    long flushMillis = settings.rollupFlushInterval().toMillis();
    if (flushMillis > 0) {
      scheduler.scheduleWithFixedDelay(
          () -> guarded("add waiting rollup tallies", rollupFlush),
          flushMillis,
          flushMillis,
          TimeUnit.MILLISECONDS);
    }
    if (settings.anyRetention()) {
      scheduler.scheduleWithFixedDelay(
          () -> guarded("apply retention", this::applyRetention),
          0,
          settings.retentionInterval().toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Stops the schedule, then writes the last health row, so the final interval (and the last batch
   * the pipeline flushed at shutdown) is accounted for.
   */
  @Override
  public void close() throws SQLException, InterruptedException {
    closing = true;
    scheduler.shutdown();
    // A retention chunk in progress finishes; waiting longer than a lock wait would be pointless.
    Duration wait = settings.busyTimeout().plusSeconds(5);
    if (!scheduler.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      logger.warn("sink-sqlite maintenance did not stop within {}; closing anyway", wait);
      scheduler.shutdownNow();
    }
    try (connection) {
      guarded("record health", () -> health.record(nowNanos()));
    }
  }

  private void applyRetention() {
    if (settings.retentionEnabled()) {
      long cutoff = EpochNanos.of(clock.instant().minus(settings.retention()));
      long count = retention.deleteOlderThan(cutoff, () -> !closing);
      deleted.add(count);
      if (count > 0) {
        logger.debug("retention deleted {} events older than {}", count, settings.retention());
      }
    }
    if (!settings.minuteRollupRetention().isZero()) {
      retention.deleteMinuteRollupsOlderThan(
          EpochNanos.of(clock.instant().minus(settings.minuteRollupRetention())), () -> !closing);
    }
    if (!settings.rollupRetention().isZero()) {
      retention.deleteHourRollupsOlderThan(
          EpochNanos.of(clock.instant().minus(settings.rollupRetention())), () -> !closing);
    }
    if (!settings.dayRollupRetention().isZero()) {
      retention.deleteDayRollupsOlderThan(
          EpochNanos.of(clock.instant().minus(settings.dayRollupRetention())), () -> !closing);
    }
  }

  private long nowNanos() {
    return EpochNanos.of(clock.instant());
  }

  private void guarded(String what, Runnable task) {
    // An exception would cancel a periodic task for good: log, count, and try again next time.
    try {
      task.run();
    } catch (RuntimeException e) {
      failures.increment();
      logger.warn(
          "sink-sqlite: {} (tried again next interval)",
          SqliteErrors.explain(settings.path(), e, what + " in"));
      logger.debug("sink-sqlite maintenance failure", e);
    }
  }
}
