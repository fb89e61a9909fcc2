package io.lanthorn.api;

import java.util.Objects;

/**
 * What every event kind shares: when it happened, the task that caused it, and the host.
 *
 * @param timestampNanos when it happened, in nanoseconds since the Unix epoch (wall clock)
 * @param kernelTimeNanos the same moment on the kernel's monotonic clock, in nanoseconds; orders
 *     events exactly, even across wall-clock jumps
 * @param pid the process id (thread group id) of the task
 * @param tid the thread id of the task
 * @param uid the task's real user id, an unsigned 32-bit value held in an {@code int} (see {@link
 *     Vocabulary#unsignedId(int)})
 * @param gid the task's real group id, unsigned like {@code uid}
 * @param comm the task's command name ({@code /proc/<pid>/comm}, at most 15 characters)
 * @param commandLine the start of the process's argument list, space-separated, or {@code null}
 *     when it could not be read
 * @param cgroupId the id (inode) of the task's cgroup v2 directory; 0 when unknown
 * @param cgroupName the last path element of the task's cgroup v2 directory, or {@code null}
 * @param hostName the name of the host that saw the event ({@link PluginContext#hostName()}), or
 *     {@code null} when the source does not set it
 */
public record EventHeader(
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
    String hostName) {

  /** Checks that the command name is present. */
  public EventHeader {
    Objects.requireNonNull(comm, "comm");
  }

  /** A builder for a new header. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this header's values. */
  public Builder toBuilder() {
    return new Builder().copy(this);
  }

  /** Builds {@link EventHeader}s; not thread-safe. */
  public static final class Builder {
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
    private String hostName;

    Builder() {}

    Builder copy(EventHeader h) {
      timestampNanos = h.timestampNanos;
      kernelTimeNanos = h.kernelTimeNanos;
      pid = h.pid;
      tid = h.tid;
      uid = h.uid;
      gid = h.gid;
      comm = h.comm;
      commandLine = h.commandLine;
      cgroupId = h.cgroupId;
      cgroupName = h.cgroupName;
      hostName = h.hostName;
      return this;
    }

    /** See {@link EventHeader#timestampNanos()}. */
    public Builder timestampNanos(long value) {
      timestampNanos = value;
      return this;
    }

    /** See {@link EventHeader#kernelTimeNanos()}. */
    public Builder kernelTimeNanos(long value) {
      kernelTimeNanos = value;
      return this;
    }

    /** See {@link EventHeader#pid()}. */
    public Builder pid(int value) {
      pid = value;
      return this;
    }

    /** See {@link EventHeader#tid()}. */
    public Builder tid(int value) {
      tid = value;
      return this;
    }

    /** See {@link EventHeader#uid()}. */
    public Builder uid(int value) {
      uid = value;
      return this;
    }

    /** See {@link EventHeader#gid()}. */
    public Builder gid(int value) {
      gid = value;
      return this;
    }

    /** See {@link EventHeader#comm()}. */
    public Builder comm(String value) {
      comm = value;
      return this;
    }

    /** See {@link EventHeader#commandLine()}. */
    public Builder commandLine(String value) {
      commandLine = value;
      return this;
    }

    /** See {@link EventHeader#cgroupId()}. */
    public Builder cgroupId(long value) {
      cgroupId = value;
      return this;
    }

    /** See {@link EventHeader#cgroupName()}. */
    public Builder cgroupName(String value) {
      cgroupName = value;
      return this;
    }

    /** See {@link EventHeader#hostName()}. */
    public Builder hostName(String value) {
      hostName = value;
      return this;
    }

    /**
     * The header.
     *
     * @throws NullPointerException without a command name
     */
    public EventHeader build() {
      return new EventHeader(
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
          hostName);
    }
  }
}
