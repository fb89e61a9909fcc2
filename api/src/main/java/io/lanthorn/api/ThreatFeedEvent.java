package io.lanthorn.api;

import java.util.List;
import java.util.Objects;

/**
 * The version of a threat-intelligence feed the agent matches events with, and how refreshing it
 * went ({@link EventKind#THREAT_FEED}). A threat plugin emits one when it starts and after each
 * refresh, so a sink can keep a copy of every feed beside the events it flagged (the Rust
 * Lanthorn's {@code threat_ip_feed} and {@code threat_domain_feed}) without reading the plugin's
 * files. A sink that stores feeds replaces the feed's entries whole when {@link #version()}
 * changes; sinks that store only what hosts do leave this kind out of their {@link Sink#kinds()}.
 *
 * <p>The entry lists are shared, not copied, by {@link #withAttributes}: a feed of a million
 * entries costs its lists once, however many copies pass through the pipeline.
 *
 * @param header the agent's own process, and when the status was read
 * @param feedName the feed's configured name, what {@code threat_source} says, e.g. {@code feodo}
 * @param url where the feed is fetched from ({@code https:}, {@code http:} or {@code file:})
 * @param format the feed's format as configured, e.g. {@code ip}, {@code hosts}
 * @param version identifies the entries: two events of a feed with the same version hold the same
 *     entries; {@code null} when the agent has no version of the feed yet
 * @param lastGoodNanos when a good version last arrived or was confirmed unchanged, in nanoseconds
 *     since the Unix epoch; 0 never
 * @param addresses the address and CIDR range entries, as the feed wrote them ({@code 203.0.113.7},
 *     {@code 198.51.100.0/24})
 * @param domains the domain entries, lower-case, without a trailing dot or {@code *.} prefix
 * @param entries the feed's lines that held an entry (a line may hold several names)
 * @param malformed the feed's lines that held something else, skipped
 * @param lastError why the last refresh failed, or {@code null} when it succeeded
 * @param lastErrorNanos when it failed, in nanoseconds since the Unix epoch; 0 without an error
 * @param attributes facts enrichers added (none usually)
 */
public record ThreatFeedEvent(
    EventHeader header,
    String feedName,
    String url,
    String format,
    String version,
    long lastGoodNanos,
    List<String> addresses,
    List<String> domains,
    int entries,
    int malformed,
    String lastError,
    long lastErrorNanos,
    Attributes attributes)
    implements Event {

  /** Checks the invariants and copies the lists (a no-op for lists already unmodifiable). */
  public ThreatFeedEvent {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(feedName, "feedName");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(attributes, "attributes");
    addresses = List.copyOf(addresses);
    domains = List.copyOf(domains);
    if (entries < 0 || malformed < 0) {
      throw new IllegalArgumentException(
          "entries (" + entries + ") and malformed (" + malformed + ") must not be negative");
    }
  }

  /** Always {@link EventKind#THREAT_FEED}. */
  @Override
  public EventKind kind() {
    return EventKind.THREAT_FEED;
  }

  @Override
  public ThreatFeedEvent withAttributes(Attributes newAttributes) {
    return new ThreatFeedEvent(
        header,
        feedName,
        url,
        format,
        version,
        lastGoodNanos,
        addresses,
        domains,
        entries,
        malformed,
        lastError,
        lastErrorNanos,
        newAttributes);
  }

  @Override
  public <T> ThreatFeedEvent withAttribute(AttributeKey<T> key, T value) {
    return withAttributes(attributes.with(key, value));
  }
}
