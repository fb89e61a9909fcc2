package io.lanthorn.api;

import java.util.Locale;

/**
 * The kinds of {@link Event}. Sinks and enrichers declare which kinds they take ({@link
 * Sink#kinds()}, {@link Enricher#kinds()}); the agent hands them nothing else.
 */
public enum EventKind {
  /** {@link ConnectionEvent}: an outbound TCP connection attempt. */
  TCP_CONNECT,
  /** {@link InboundAcceptEvent}: an inbound TCP connection a listening socket accepted. */
  TCP_ACCEPT,
  /** {@link UdpFlowEvent}: UDP datagrams a task sent to one destination. */
  UDP_SEND,
  /** {@link DnsEvent}: a DNS answer a task received. */
  DNS_ANSWER,
  /** {@link ConnectionCloseEvent}: an established TCP connection closed (lifetime and bytes). */
  TCP_CLOSE,
  /** {@link ThreatFeedEvent}: the version of a threat-intelligence feed the agent matches with. */
  THREAT_FEED;

  /**
   * The lower-case name storage and output use, e.g. {@code tcp_connect}: the values of the Rust
   * Lanthorn's {@code events.event_type} column for the kinds it has.
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The kind for a {@link #label()}.
   *
   * @throws IllegalArgumentException for an unknown label
   */
  public static EventKind ofLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
