package io.lanthorn.enricher.threat;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Refreshes each feed on its own interval, on one background thread, first right away, and reports
 * every feed once at start and again after each of its refreshes.
 */
final class FeedRefresher implements AutoCloseable {
  private final ScheduledExecutorService scheduler;
  private final FeedDownloader downloader;

  private FeedRefresher(ScheduledExecutorService scheduler, FeedDownloader downloader) {
    this.scheduler = scheduler;
    this.downloader = downloader;
  }

  /**
   * @param remoteFetch false: https/http feeds are not fetched (their saved copy stays in use)
   */
  static FeedRefresher start(
      List<FeedState> feeds,
      boolean remoteFetch,
      FeedDownloader downloader,
      FeedReporter reporter,
      Logger log) {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("enricher-threat-refresh").daemon().factory());
    // Off the creating thread: a report may wait for room in the pipeline, which starts taking
    // events only once every enricher (this one included) has been created.
    var _ =
        scheduler.submit(
            () -> {
              for (FeedState feed : feeds) {
                try {
                  reporter.report(feed);
                } catch (RuntimeException e) {
                  log.warn(
                      "threat feed '{}': cannot report it to the sinks: {}",
                      feed.spec().name(),
                      e.toString());
                }
              }
            });
    for (FeedState feed : feeds) {
      if (!remoteFetch && feed.spec().remote()) {
        log.info(
            "threat feed '{}': not fetched (remote-fetch = false); {}",
            feed.spec().name(),
            feed.content().entries() > 0
                ? "matching with its saved copy (" + feed.content().entries() + " entries)"
                : "no saved copy, so nothing from it matches");
        continue;
      }
      // The task catches everything itself; its future is never read.
      var _ =
          scheduler.scheduleWithFixedDelay(
              () -> {
                try {
                  feed.refresh();
                  reporter.report(feed);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                  // Keep the schedule: an unexpected failure must not end the refreshes.
                  log.warn(
                      "threat feed '{}': refresh failed: {}", feed.spec().name(), e.toString());
                }
              },
              0,
              feed.spec().refresh().toMillis(),
              TimeUnit.MILLISECONDS);
    }
    return new FeedRefresher(scheduler, downloader);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    downloader.close();
  }
}
