package io.lanthorn.launcher.pipeline;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the agent's status line (the {@linkplain Pipeline#statusLine() pipeline's}, then the
 * plugins' own counters) every {@code lanthorn.status.interval} ({@code status: …}), and on request
 * a last time ({@code final: …}).
 */
public final class StatusReporter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);

  private final Supplier<String> line;
  private final ScheduledExecutorService timer;

  /**
   * Starts reporting.
   *
   * @param line the status line, built anew for every report
   * @param interval time between lines; zero or negative for no periodic line
   */
  public StatusReporter(Supplier<String> line, Duration interval) {
    this.line = line;
    if (interval.isPositive()) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().daemon().name("lanthorn-status").factory());
      long millis = interval.toMillis();
      var _ =
          timer.scheduleAtFixedRate(
              () -> log.info("status: {}", line.get()), millis, millis, TimeUnit.MILLISECONDS);
    } else {
      timer = null;
    }
  }

  /** Logs the final line, once everything was drained. */
  public void logFinal() {
    log.info("final: {}", line.get());
  }

  /** Stops the periodic line. */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
