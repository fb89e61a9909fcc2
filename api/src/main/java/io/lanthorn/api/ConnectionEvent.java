package io.lanthorn.api;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One outbound TCP connection attempt: who made it, where to, and how it ended.
 *
 * <p>A source emits one event per attempt, when the handshake ends (or when the source stops, with
 * outcome {@link Outcome#PENDING}). Facts a source captures are components; facts enrichers add
 * live in {@link #attributes()}. Instances are immutable: enrichers return a copy made with {@link
 * #withAttributes(Attributes)} or {@link #toBuilder()}.
 *
 * @param family the address family; IPv4-mapped IPv6 connections are {@link AddressFamily#INET}
 * @param protocol the transport protocol
 * @param sourceAddress the local address the kernel chose
 * @param sourcePort the local port, 0 when the attempt ended before one was bound
 * @param destinationAddress the remote address
 * @param destinationPort the remote port
 * @param timestampNanos when the attempt started, in nanoseconds since the Unix epoch (wall clock)
 * @param kernelTimeNanos when the attempt started, on the kernel's monotonic clock, in nanoseconds;
 *     orders events exactly, even across wall-clock jumps
 * @param pid the process id (thread group id) of the task that connected
 * @param tid the thread id of the task that connected
 * @param uid the task's real user id
 * @param gid the task's real group id
 * @param comm the task's command name ({@code /proc/<pid>/comm}, at most 15 characters)
 * @param commandLine the start of the process's argument list, space-separated, or {@code null}
 *     when it could not be read
 * @param cgroupId the id (inode) of the task's cgroup v2 directory; 0 when unknown
 * @param cgroupName the last path element of the task's cgroup v2 directory, or {@code null}
 * @param outcome how the attempt ended
 * @param errno the socket error when it ended in failure ({@code ECONNREFUSED} …), else 0
 * @param handshakeNanos the time from {@code SYN_SENT} to the outcome, or -1 when {@link
 *     Outcome#PENDING}
 * @param attributes facts enrichers added
 */
public record ConnectionEvent(
    AddressFamily family,
    Protocol protocol,
    InetAddress sourceAddress,
    int sourcePort,
    InetAddress destinationAddress,
    int destinationPort,
    long timestampNanos,
    long kernelTimeNanos,
    int pid,
    int tid,
    int uid,
    int gid,
    String comm,
    String commandLine,
    long cgroupId,
    String cgroupName,
    Outcome outcome,
    int errno,
    long handshakeNanos,
    Attributes attributes) {

  /** Checks the invariants: required components are present and ports are in range. */
  public ConnectionEvent {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(sourceAddress, "sourceAddress");
    Objects.requireNonNull(destinationAddress, "destinationAddress");
    Objects.requireNonNull(comm, "comm");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(attributes, "attributes");
    checkPort(sourcePort, "sourcePort");
    checkPort(destinationPort, "destinationPort");
  }

  private static void checkPort(int port, String name) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(name + " out of range: " + port);
    }
  }

  /** The value of an attribute, or {@code null} when no enricher set it. */
  public <T> T attribute(AttributeKey<T> key) {
    return attributes.get(key);
  }

  /** A copy with these attributes instead of the current ones. */
  public ConnectionEvent withAttributes(Attributes newAttributes) {
    return toBuilder().attributes(newAttributes).build();
  }

  /** A copy with one attribute set (or removed, for a {@code null} value). */
  public <T> ConnectionEvent withAttribute(AttributeKey<T> key, T value) {
    return withAttributes(attributes.toBuilder().put(key, value).build());
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
    private long timestampNanos;
    private long kernelTimeNanos;
    private int pid;
    private int tid;
    private int uid;
    private int gid;
    private String comm;
    private String commandLine;
    private long cgroupId;
    private String cgroupName;
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
      timestampNanos = e.timestampNanos;
      kernelTimeNanos = e.kernelTimeNanos;
      pid = e.pid;
      tid = e.tid;
      uid = e.uid;
      gid = e.gid;
      comm = e.comm;
      commandLine = e.commandLine;
      cgroupId = e.cgroupId;
      cgroupName = e.cgroupName;
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

    /** See {@link ConnectionEvent#timestampNanos()}. */
    public Builder timestampNanos(long value) {
      timestampNanos = value;
      return this;
    }

    /** See {@link ConnectionEvent#kernelTimeNanos()}. */
    public Builder kernelTimeNanos(long value) {
      kernelTimeNanos = value;
      return this;
    }

    /** See {@link ConnectionEvent#pid()}. */
    public Builder pid(int value) {
      pid = value;
      return this;
    }

    /** See {@link ConnectionEvent#tid()}. */
    public Builder tid(int value) {
      tid = value;
      return this;
    }

    /** See {@link ConnectionEvent#uid()}. */
    public Builder uid(int value) {
      uid = value;
      return this;
    }

    /** See {@link ConnectionEvent#gid()}. */
    public Builder gid(int value) {
      gid = value;
      return this;
    }

    /** See {@link ConnectionEvent#comm()}. */
    public Builder comm(String value) {
      comm = value;
      return this;
    }

    /** See {@link ConnectionEvent#commandLine()}. */
    public Builder commandLine(String value) {
      commandLine = value;
      return this;
    }

    /** See {@link ConnectionEvent#cgroupId()}. */
    public Builder cgroupId(long value) {
      cgroupId = value;
      return this;
    }

    /** See {@link ConnectionEvent#cgroupName()}. */
    public Builder cgroupName(String value) {
      cgroupName = value;
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
          family,
          protocol,
          sourceAddress,
          sourcePort,
          destinationAddress,
          destinationPort,
          timestampNanos,
          kernelTimeNanos,
          pid,
          tid,
          uid,
          gid,
          comm,
          commandLine,
          cgroupId,
          cgroupName,
          outcome,
          errno,
          handshakeNanos,
          attributes);
    }
  }
}
