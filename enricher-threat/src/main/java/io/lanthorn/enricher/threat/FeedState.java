package io.lanthorn.enricher.threat;

import io.lanthorn.api.Counter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * One feed at run time: the version matched now (replaced whole, so a lookup sees the old or the
 * new version, never a mix) and how refreshing it went. Refreshed by one thread at a time.
 */
final class FeedState {
  private final FeedSpec spec;
  private final FeedCache cache;
  private final FeedDownloader downloader;
  private final Clock clock;
  private final Logger log;
  private final double minKeepRatio;
  private final Counter hits;
  private volatile FeedContent content = FeedContent.EMPTY;
  private volatile FeedStatus status = FeedStatus.NONE;
  private boolean warned;

  FeedState(
      FeedSpec spec,
      FeedCache cache,
      FeedDownloader downloader,
      Clock clock,
      Logger log,
      double minKeepRatio,
      Counter hits) {
    this.spec = spec;
    this.cache = cache;
    this.downloader = downloader;
    this.clock = clock;
    this.log = log;
    this.minKeepRatio = minKeepRatio;
    this.hits = hits;
  }

  FeedSpec spec() {
    return spec;
  }

  FeedContent content() {
    return content;
  }

  FeedStatus status() {
    return status;
  }

  /** Replaces the version matched, as a refresh does; for tests and benchmarks. */
  void replace(FeedContent newContent) {
    content = newContent;
  }

  Counter hits() {
    return hits;
  }

  /** Takes the saved copy, if there is one for this URL: what matches until the first refresh. */
  void loadSaved() {
    try {
      FeedStatus saved = cache.status(spec.name());
      Optional<String> text = cache.content(spec, saved);
      if (text.isPresent()) {
        content = FeedParser.parse(text.get(), spec.format());
        status = saved;
        log.info(
            "threat feed '{}': {} entries from the copy saved at {}",
            spec.name(),
            content.entries(),
            saved.lastGood());
      } else {
        status =
            new FeedStatus(null, null, null, 0, 0, null, saved.lastError(), saved.lastErrorAt());
      }
    } catch (IOException | RuntimeException e) {
      log.warn(
          "threat feed '{}': cannot read the saved copy in {} ({}); it is fetched again",
          spec.name(),
          cache.dir(),
          e.toString());
    }
  }

  /** Fetches the feed once; a failure keeps the current version and is logged once (WARN). */
  void refresh() throws InterruptedException {
    try {
      switch (downloader.fetch(spec.url(), status)) {
        case FeedDownloader.NotModified() -> {
          status = status.unchanged(clock.instant());
          log.debug("threat feed '{}': unchanged", spec.name());
        }
        case FeedDownloader.Fetched fetched -> take(fetched);
      }
      warned = false;
    } catch (IOException | RuntimeException e) {
      fail(describe(e));
      return;
    }
    save();
  }

  private void take(FeedDownloader.Fetched fetched) throws IOException {
    String version = FeedParser.version(fetched.text());
    if (version.equals(content.version())) {
      // The same text again (a file: feed, or a server without validators): nothing to parse,
      // save or report as new; the entries in memory stay the ones matched.
      status =
          status.succeeded(
              spec.url().toString(),
              fetched.etag(),
              fetched.lastModified(),
              content,
              clock.instant());
      log.debug("threat feed '{}': unchanged", spec.name());
      return;
    }
    FeedContent parsed = FeedParser.parse(fetched.text(), spec.format(), version);
    boolean shrinkAccepted = cache.shrinkAccepted(spec.name());
    String refusal =
        FeedCheck.refusal(
            fetched.text(), parsed, content, shrinkAccepted ? 0 : minKeepRatio, spec.name());
    if (refusal != null) {
      throw new IOException("refused the new version: " + refusal);
    }
    if (shrinkAccepted) {
      cache.shrinkTaken(spec.name());
      log.info(
          "threat feed '{}': took the new version ({} entries, {} before) whatever its size, as"
              + " lanthorn feeds --accept-shrink asked; the next version is checked again",
          spec.name(),
          parsed.entries(),
          content.entries());
    }
    content = parsed;
    status =
        status.succeeded(
            spec.url().toString(), fetched.etag(), fetched.lastModified(), parsed, clock.instant());
    try {
      cache.saveContent(spec.name(), fetched.text());
    } catch (IOException e) {
      // Matching goes on with the new version; only an offline restart loses it.
      log.warn(
          "threat feed '{}': cannot save it in {} ({}); an offline restart will not have it",
          spec.name(),
          cache.dir(),
          e.toString());
    }
    if (parsed.malformed() > 0) {
      log.info(
          "threat feed '{}': {} entries, {} malformed lines skipped",
          spec.name(),
          parsed.entries(),
          parsed.malformed());
    } else {
      log.info("threat feed '{}': {} entries", spec.name(), parsed.entries());
    }
  }

  private void fail(String reason) {
    status = status.failed(reason, clock.instant());
    save();
    String keeping =
        status.lastGood() == null
            ? "nothing from it matches until it arrives"
            : "matching with the version of "
                + status.lastGood()
                + " ("
                + content.entries()
                + " entries)";
    if (!warned) {
      warned = true;
      log.warn(
          "threat feed '{}' ({}): {}; {}; retrying every {}",
          spec.name(),
          spec.url(),
          reason,
          keeping,
          spec.refreshText());
    } else {
      log.debug("threat feed '{}': still failing: {}", spec.name(), reason);
    }
  }

  private void save() {
    try {
      cache.saveStatus(spec.name(), status);
    } catch (IOException e) {
      log.debug("threat feed '{}': cannot save its status: {}", spec.name(), e.toString());
    }
  }

  private static String describe(Exception e) {
    if (e instanceof HttpTimeoutException) {
      return "timed out";
    }
    if (e instanceof ConnectException) {
      return "cannot connect";
    }
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : e.getClass() == IOException.class
            ? message
            : e.getClass().getSimpleName() + ": " + message;
  }
}
