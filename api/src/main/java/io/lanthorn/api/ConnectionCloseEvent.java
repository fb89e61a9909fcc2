package io.lanthorn.api;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An established TCP connection closed ({@link EventKind#TCP_CLOSE}): how long it lived and what it
 * carried. It refers to the event that opened it, a {@link ConnectionEvent} (outbound) or an {@link
 * InboundAcceptEvent} (inbound), by that event's {@link EventHeader#kernelTimeNanos()} ({@link
 * #openedKernelTimeNanos()}) and addresses; a sink stores it as an update of that event (SQLite) or
 * as a record of its own (JSON lines).
 *
 * <p>The header's time is the close; its task fields are those of the opening event's task where
 * the source knows them, else 0 and an empty command name (a close runs in softirq context).
 *
 * @param header when the connection closed
 * @param family the address family; IPv4-mapped IPv6 is {@link AddressFamily#INET}
 * @param inbound {@code true} for an accepted connection, {@code false} for an outbound one
 * @param localAddress this host's end
 * @param localPort this host's port (the service's for an inbound connection)
 * @param remoteAddress the peer
 * @param remotePort the peer's port
 * @param openedKernelTimeNanos the opening event's kernel time: joins the close to it
 * @param durationNanos from the handshake's end to the close
 * @param bytesSent bytes this end sent that the peer acknowledged ({@code tcp_sock.bytes_acked})
 * @param bytesReceived bytes this end received ({@code tcp_sock.bytes_received})
 * @param attributes facts enrichers added
 */
public record ConnectionCloseEvent(
    EventHeader header,
    AddressFamily family,
    boolean inbound,
    InetAddress localAddress,
    int localPort,
    InetAddress remoteAddress,
    int remotePort,
    long openedKernelTimeNanos,
    long durationNanos,
    long bytesSent,
    long bytesReceived,
    Attributes attributes)
    implements Event {

  /** Checks the invariants. */
  public ConnectionCloseEvent {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(localAddress, "localAddress");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    Objects.requireNonNull(attributes, "attributes");
    Ports.check(localPort, "localPort");
    Ports.check(remotePort, "remotePort");
    if (durationNanos < 0 || bytesSent < 0 || bytesReceived < 0) {
      throw new IllegalArgumentException(
          "durationNanos, bytesSent and bytesReceived must be >= 0: "
              + durationNanos
              + ", "
              + bytesSent
              + ", "
              + bytesReceived);
    }
  }

  /** Always {@link EventKind#TCP_CLOSE}. */
  @Override
  public EventKind kind() {
    return EventKind.TCP_CLOSE;
  }

  /** Always {@link Protocol#TCP}. */
  public Protocol protocol() {
    return Protocol.TCP;
  }

  @Override
  public ConnectionCloseEvent withAttributes(Attributes newAttributes) {
    return new ConnectionCloseEvent(
        header,
        family,
        inbound,
        localAddress,
        localPort,
        remoteAddress,
        remotePort,
        openedKernelTimeNanos,
        durationNanos,
        bytesSent,
        bytesReceived,
        newAttributes);
  }

  @Override
  public <T> ConnectionCloseEvent withAttribute(AttributeKey<T> key, T value) {
    return withAttributes(attributes.toBuilder().put(key, value).build());
  }
}
