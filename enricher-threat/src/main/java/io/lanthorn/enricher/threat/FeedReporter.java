package io.lanthorn.enricher.threat;

import io.lanthorn.api.Attributes;
import io.lanthorn.api.EventEmitter;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.ThreatFeedEvent;
import java.time.Clock;
import java.time.Instant;

/**
 * Tells the agent's sinks which version of each feed is matched now, as a {@link ThreatFeedEvent}:
 * so the SQLite sink keeps the feeds beside the events they flagged ({@code threat_ip_feed}, {@code
 * threat_domain_feed}, {@code threat_feeds}) without this plugin touching its file. Reports come
 * from the refresh thread only; after {@link #stop} nothing more is emitted.
 */
final class FeedReporter {
  private static final long PID = ProcessHandle.current().pid();

  private final EventEmitter emitter;
  private final Clock clock;
  private final String hostName;
  private volatile boolean stopped;

  /**
   * @param emitter where the reports go; {@code null} to report nothing (commands, benchmarks)
   */
  FeedReporter(EventEmitter emitter, Clock clock, String hostName) {
    this.emitter = emitter;
    this.clock = clock;
    this.hostName = hostName;
  }

  /**
   * Emits the feed's current version and status; nothing for a feed the agent knows nothing about
   * yet (no version, no failure: not fetched, as with {@code remote-fetch = false} and no saved
   * copy).
   */
  void report(FeedState feed) {
    if (emitter == null
        || stopped
        || (feed.content().version() == null && feed.status().lastError() == null)) {
      return;
    }
    emitter.emit(event(feed, nanos(clock.instant()), hostName));
  }

  /** What a report of this feed says, at {@code nowNanos}. */
  static ThreatFeedEvent event(FeedState feed, long nowNanos, String hostName) {
    FeedContent content = feed.content();
    FeedStatus status = feed.status();
    return new ThreatFeedEvent(
        EventHeader.builder()
            .timestampNanos(nowNanos)
            .pid((int) PID)
            .tid((int) PID)
            .comm("lanthorn")
            .hostName(hostName)
            .build(),
        feed.spec().name(),
        feed.spec().url().toString(),
        feed.spec().format().label(),
        content.version(),
        content.version() == null ? 0 : nanos(status.lastGood()),
        content.addressEntries(),
        content.domainEntries(),
        content.entries(),
        content.malformed(),
        status.lastError(),
        nanos(status.lastErrorAt()),
        Attributes.empty());
  }

  /** No more reports: the agent is stopping its sources. */
  void stop() {
    stopped = true;
  }

  private static long nanos(Instant at) {
    return at == null ? 0 : at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }
}
