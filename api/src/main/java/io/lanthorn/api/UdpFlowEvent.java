package io.lanthorn.api;

import java.net.InetAddress;
import java.util.Objects;

/**
 * UDP datagrams one task sent to one destination ({@link EventKind#UDP_SEND}), summed over a short
 * interval so that a chatty socket is one event per interval rather than one per datagram.
 *
 * @param header the sending task, and when its first datagram of the interval was sent
 * @param family the address family; IPv4-mapped IPv6 is {@link AddressFamily#INET}
 * @param sourceAddress the local address
 * @param sourcePort the local port
 * @param destinationAddress the remote address
 * @param destinationPort the remote port
 * @param datagrams how many datagrams were sent in the interval; 0 when only a {@code connect()} to
 *     the destination was seen (a source that sees only sends naming their destination, like
 *     probe-udp on kernels before 6.3, does not see a connected socket's datagrams)
 * @param bytes how many payload bytes they carried; 0 where the source cannot know (probe-udp
 *     before Linux 6.3)
 * @param durationNanos from the first datagram of the interval to the last, 0 for one datagram
 * @param attributes facts enrichers added
 */
public record UdpFlowEvent(
    EventHeader header,
    AddressFamily family,
    InetAddress sourceAddress,
    int sourcePort,
    InetAddress destinationAddress,
    int destinationPort,
    long datagrams,
    long bytes,
    long durationNanos,
    Attributes attributes)
    implements Event {

  /** Checks the invariants. */
  public UdpFlowEvent {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(sourceAddress, "sourceAddress");
    Objects.requireNonNull(destinationAddress, "destinationAddress");
    Objects.requireNonNull(attributes, "attributes");
    Ports.check(sourcePort, "sourcePort");
    Ports.check(destinationPort, "destinationPort");
    if (datagrams < 0 || bytes < 0 || durationNanos < 0) {
      throw new IllegalArgumentException(
          "datagrams, bytes and durationNanos must be >= 0: "
              + datagrams
              + ", "
              + bytes
              + ", "
              + durationNanos);
    }
  }

  /** Always {@link EventKind#UDP_SEND}. */
  @Override
  public EventKind kind() {
    return EventKind.UDP_SEND;
  }

  /** Always {@link Protocol#UDP}. */
  public Protocol protocol() {
    return Protocol.UDP;
  }

  @Override
  public UdpFlowEvent withAttributes(Attributes newAttributes) {
    return new UdpFlowEvent(
        header,
        family,
        sourceAddress,
        sourcePort,
        destinationAddress,
        destinationPort,
        datagrams,
        bytes,
        durationNanos,
        newAttributes);
  }

  @Override
  public <T> UdpFlowEvent withAttribute(AttributeKey<T> key, T value) {
    return withAttributes(attributes.with(key, value));
  }
}
