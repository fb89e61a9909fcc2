package io.lanthorn.api;

/**
 * Something a source saw: one of a small, closed family of records sharing an {@link EventHeader}
 * (time, task, cgroup, host) and one {@link Attributes} bag that enrichers fill.
 *
 * <p>The family is sealed so that a sink can switch over it exhaustively:
 *
 * {@snippet :
 * switch (event) {
 *   case ConnectionEvent c -> writeConnection(c);
 *   case DnsEvent d -> writeDns(d);
 *   case InboundAcceptEvent a -> writeAccept(a);
 *   case UdpFlowEvent u -> writeUdp(u);
 *   case ThreatFeedEvent f -> replaceFeed(f);
 *   case ConnectionCloseEvent c -> writeClose(c);
 * }
 * }
 *
 * <p>The header's fields are also readable directly on the event ({@code event.pid()}). Events are
 * immutable: enrichers return a copy made with {@link #withAttributes(Attributes)}.
 */
public sealed interface Event
    permits ConnectionEvent,
        DnsEvent,
        InboundAcceptEvent,
        UdpFlowEvent,
        ConnectionCloseEvent,
        ThreatFeedEvent {

  /** Which record this is. */
  EventKind kind();

  /** The fields every kind shares. */
  EventHeader header();

  /** The facts enrichers added. */
  Attributes attributes();

  /** A copy with these attributes instead of the current ones. */
  Event withAttributes(Attributes newAttributes);

  /** A copy with one attribute set (or removed, for a {@code null} value). */
  default <T> Event withAttribute(AttributeKey<T> key, T value) {
    return withAttributes(attributes().with(key, value));
  }

  /** The value of an attribute, or {@code null} when no enricher set it. */
  default <T> T attribute(AttributeKey<T> key) {
    return attributes().get(key);
  }

  /** See {@link EventHeader#timestampNanos()}. */
  default long timestampNanos() {
    return header().timestampNanos();
  }

  /** See {@link EventHeader#kernelTimeNanos()}. */
  default long kernelTimeNanos() {
    return header().kernelTimeNanos();
  }

  /** See {@link EventHeader#pid()}. */
  default int pid() {
    return header().pid();
  }

  /** See {@link EventHeader#tid()}. */
  default int tid() {
    return header().tid();
  }

  /** See {@link EventHeader#uid()}. */
  default int uid() {
    return header().uid();
  }

  /** See {@link EventHeader#gid()}. */
  default int gid() {
    return header().gid();
  }

  /** See {@link EventHeader#comm()}. */
  default String comm() {
    return header().comm();
  }

  /** See {@link EventHeader#commandLine()}. */
  default String commandLine() {
    return header().commandLine();
  }

  /** See {@link EventHeader#cgroupId()}. */
  default long cgroupId() {
    return header().cgroupId();
  }

  /** See {@link EventHeader#cgroupName()}. */
  default String cgroupName() {
    return header().cgroupName();
  }

  /** See {@link EventHeader#hostName()}. */
  default String hostName() {
    return header().hostName();
  }
}
