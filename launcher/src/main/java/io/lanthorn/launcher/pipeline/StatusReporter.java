package io.lanthorn.launcher.pipeline;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the pipeline's {@linkplain Pipeline#statusLine() status line} every {@code
 * lanthorn.status.interval} ({@code status: …}), and on request a last time ({@code final: …}).
 */
public final class StatusReporter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);

  private final Pipeline pipeline;
  private final ScheduledExecutorService timer;

  /**
   * Starts reporting.
   *
   * @param interval time between lines; zero or negative for no periodic line
   */
  public StatusReporter(Pipeline pipeline, Duration interval) {
    this.pipeline = pipeline;
    if (interval.isPositive()) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().daemon().name("lanthorn-status").factory());
      long millis = interval.toMillis();
      var _ =
          timer.scheduleAtFixedRate(
              () -> log.info("status: {}", pipeline.statusLine()),
              millis,
              millis,
              TimeUnit.MILLISECONDS);
    } else {
      timer = null;
    }
  }

  /** Logs the final line, once everything was drained. */
  public void logFinal() {
    log.info("final: {}", pipeline.statusLine());
  }

  /** Stops the periodic line. */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
