package io.lanthorn.api;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One outbound TCP connection attempt ({@link EventKind#TCP_CONNECT}): who made it, where to, and
 * how it ended.
 *
 * <p>A source emits one event per attempt, when the handshake ends (or when the source stops, with
 * outcome {@link Outcome#PENDING}). Facts a source captures are components; facts enrichers add
 * live in {@link #attributes()}. Instances are immutable: enrichers return a copy made with {@link
 * #withAttributes(Attributes)} or {@link #toBuilder()}.
 *
 * @param header the task, times and cgroup (also readable directly: {@code event.pid()})
 * @param family the address family; IPv4-mapped IPv6 connections are {@link AddressFamily#INET}
 * @param protocol the transport protocol
 * @param sourceAddress the local address the kernel chose
 * @param sourcePort the local port, 0 when the attempt ended before one was bound
 * @param destinationAddress the remote address
 * @param destinationPort the remote port
 * @param outcome how the attempt ended
 * @param errno the socket error when it ended in failure ({@code ECONNREFUSED} …), else 0
 * @param handshakeNanos the time from {@code SYN_SENT} to the outcome, or -1 when {@link
 *     Outcome#PENDING}
 * @param attributes facts enrichers added
 */
public record ConnectionEvent(
    EventHeader header,
    AddressFamily family,
    Protocol protocol,
    InetAddress sourceAddress,
    int sourcePort,
    InetAddress destinationAddress,
    int destinationPort,
    Outcome outcome,
    int errno,
    long handshakeNanos,
    Attributes attributes)
    implements Event {

  /** Checks the invariants: required components are present and ports are in range. */
  public ConnectionEvent {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(sourceAddress, "sourceAddress");
    Objects.requireNonNull(destinationAddress, "destinationAddress");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(attributes, "attributes");
    Ports.check(sourcePort, "sourcePort");
    Ports.check(destinationPort, "destinationPort");
  }

  /** Always {@link EventKind#TCP_CONNECT}. */
  @Override
  public EventKind kind() {
    return EventKind.TCP_CONNECT;
  }

  @Override
  public ConnectionEvent withAttributes(Attributes newAttributes) {
    return new ConnectionEvent(
        header,
        family,
        protocol,
        sourceAddress,
        sourcePort,
        destinationAddress,
        destinationPort,
        outcome,
        errno,
        handshakeNanos,
        newAttributes);
  }

  @Override
  public <T> ConnectionEvent withAttribute(AttributeKey<T> key, T value) {
    return withAttributes(attributes.with(key, value));
  }

  /** A builder holding this event's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A builder for a new event; attributes start empty, {@code handshakeNanos} at -1. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ConnectionEvent}s; not thread-safe. */
  public static final class Builder {
    private AddressFamily family;
    private Protocol protocol = Protocol.TCP;
    private InetAddress sourceAddress;
    private int sourcePort;
    private InetAddress destinationAddress;
    private int destinationPort;
    private EventHeader.Builder header = EventHeader.builder();
    private Outcome outcome;
    private int errno;
    private long handshakeNanos = -1;
    private Attributes attributes = Attributes.empty();

    private Builder() {}

    private Builder(ConnectionEvent e) {
      family = e.family;
      protocol = e.protocol;
      sourceAddress = e.sourceAddress;
      sourcePort = e.sourcePort;
      destinationAddress = e.destinationAddress;
      destinationPort = e.destinationPort;
      header = e.header.toBuilder();
      outcome = e.outcome;
      errno = e.errno;
      handshakeNanos = e.handshakeNanos;
      attributes = e.attributes;
    }

    /** See {@link ConnectionEvent#family()}. */
    public Builder family(AddressFamily value) {
      family = value;
      return this;
    }

    /** See {@link ConnectionEvent#protocol()}. */
    public Builder protocol(Protocol value) {
      protocol = value;
      return this;
    }

    /** See {@link ConnectionEvent#sourceAddress()}. */
    public Builder sourceAddress(InetAddress value) {
      sourceAddress = value;
      return this;
    }

    /** See {@link ConnectionEvent#sourcePort()}. */
    public Builder sourcePort(int value) {
      sourcePort = value;
      return this;
    }

    /** See {@link ConnectionEvent#destinationAddress()}. */
    public Builder destinationAddress(InetAddress value) {
      destinationAddress = value;
      return this;
    }

    /** See {@link ConnectionEvent#destinationPort()}. */
    public Builder destinationPort(int value) {
      destinationPort = value;
      return this;
    }

    /** See {@link EventHeader#timestampNanos()}. */
    public Builder timestampNanos(long value) {
      header.timestampNanos(value);
      return this;
    }

    /** See {@link EventHeader#kernelTimeNanos()}. */
    public Builder kernelTimeNanos(long value) {
      header.kernelTimeNanos(value);
      return this;
    }

    /** See {@link EventHeader#pid()}. */
    public Builder pid(int value) {
      header.pid(value);
      return this;
    }

    /** See {@link EventHeader#tid()}. */
    public Builder tid(int value) {
      header.tid(value);
      return this;
    }

    /** See {@link EventHeader#uid()}. */
    public Builder uid(int value) {
      header.uid(value);
      return this;
    }

    /** See {@link EventHeader#gid()}. */
    public Builder gid(int value) {
      header.gid(value);
      return this;
    }

    /** See {@link EventHeader#comm()}. */
    public Builder comm(String value) {
      header.comm(value);
      return this;
    }

    /** See {@link EventHeader#commandLine()}. */
    public Builder commandLine(String value) {
      header.commandLine(value);
      return this;
    }

    /** See {@link EventHeader#cgroupId()}. */
    public Builder cgroupId(long value) {
      header.cgroupId(value);
      return this;
    }

    /** See {@link EventHeader#cgroupName()}. */
    public Builder cgroupName(String value) {
      header.cgroupName(value);
      return this;
    }

    /** See {@link EventHeader#hostName()}. */
    public Builder hostName(String value) {
      header.hostName(value);
      return this;
    }

    /** Replaces every header field at once. */
    public Builder header(EventHeader value) {
      header = value.toBuilder();
      return this;
    }

    /** See {@link ConnectionEvent#outcome()}. */
    public Builder outcome(Outcome value) {
      outcome = value;
      return this;
    }

    /** See {@link ConnectionEvent#errno()}. */
    public Builder errno(int value) {
      errno = value;
      return this;
    }

    /** See {@link ConnectionEvent#handshakeNanos()}. */
    public Builder handshakeNanos(long value) {
      handshakeNanos = value;
      return this;
    }

    /** See {@link ConnectionEvent#attributes()}. */
    public Builder attributes(Attributes value) {
      attributes = value;
      return this;
    }

    /**
     * The event.
     *
     * @throws NullPointerException when a required component is missing
     */
    public ConnectionEvent build() {
      return new ConnectionEvent(
          header.build(),
          family,
          protocol,
          sourceAddress,
          sourcePort,
          destinationAddress,
          destinationPort,
          outcome,
          errno,
          handshakeNanos,
          attributes);
    }
  }
}
