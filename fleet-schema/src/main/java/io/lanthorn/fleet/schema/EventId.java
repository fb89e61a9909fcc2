package io.lanthorn.fleet.schema;

import io.lanthorn.api.Event;

/**
 * The stable id of an event: {@code <host.id>:<kernel time ns>:<tid>:<kind>}. One thread starts at
 * most one event of a kind per kernel nanosecond, and the kernel clock of one host never repeats
 * within a boot, so the id is unique per host and boot; copies of one event (a producer retry, a
 * consumer replay) share it.
 */
public final class EventId {
  private EventId() {}

  /** The id of an event captured on the host with this id. */
  public static String of(String hostId, Event event) {
    return hostId + ':' + event.kernelTimeNanos() + ':' + event.tid() + ':' + event.kind().label();
  }
}
