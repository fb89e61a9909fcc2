package io.lanthorn.fleet.schema;

import io.lanthorn.api.ConnectionEvent;

/**
 * The stable id of an event: {@code <host.id>:<kernel time ns>:<tid>:<kind>}. One thread starts at
 * most one attempt per kernel nanosecond, and the kernel clock of one host never repeats within a
 * boot, so the id is unique per host and boot; copies of one event (a producer retry, a consumer
 * replay) share it.
 */
public final class EventId {
  private EventId() {}

  /** The id of a connection attempt captured on the host with this id. */
  public static String of(String hostId, ConnectionEvent event) {
    return hostId
        + ':'
        + event.kernelTimeNanos()
        + ':'
        + event.tid()
        + ':'
        + EventCodec.KIND_CONNECTION_ATTEMPT;
  }
}
