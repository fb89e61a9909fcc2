package io.lanthorn.api;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An inbound TCP connection a listening socket accepted ({@link EventKind#TCP_ACCEPT}).
 *
 * <p>The header names the task that owns the listening socket (for an accept seen in the kernel's
 * softirq context, the source fills what it knows and leaves the rest 0 or {@code null}).
 *
 * @param header the accepting task, and when
 * @param family the address family; IPv4-mapped IPv6 connections are {@link AddressFamily#INET}
 * @param protocol the transport protocol
 * @param localAddress the local (server) address
 * @param localPort the local (listening) port
 * @param remoteAddress the peer (client) address
 * @param remotePort the peer's port
 * @param attributes facts enrichers added
 */
public record InboundAcceptEvent(
    EventHeader header,
    AddressFamily family,
    Protocol protocol,
    InetAddress localAddress,
    int localPort,
    InetAddress remoteAddress,
    int remotePort,
    Attributes attributes)
    implements Event {

  /** Checks the invariants. */
  public InboundAcceptEvent {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(localAddress, "localAddress");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    Objects.requireNonNull(attributes, "attributes");
    Ports.check(localPort, "localPort");
    Ports.check(remotePort, "remotePort");
  }

  /** Always {@link EventKind#TCP_ACCEPT}. */
  @Override
  public EventKind kind() {
    return EventKind.TCP_ACCEPT;
  }

  @Override
  public InboundAcceptEvent withAttributes(Attributes newAttributes) {
    return new InboundAcceptEvent(
        header,
        family,
        protocol,
        localAddress,
        localPort,
        remoteAddress,
        remotePort,
        newAttributes);
  }

  @Override
  public <T> InboundAcceptEvent withAttribute(AttributeKey<T> key, T value) {
    return withAttributes(attributes.with(key, value));
  }
}
