package io.lanthorn.fleet.schema;

import io.lanthorn.api.ConnectionCloseEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.InboundAcceptEvent;

/**
 * The stable id of an event: {@code <host.id>:<kernel time ns>:<tid>:<kind>}. One thread starts at
 * most one event of a kind per kernel nanosecond, and the kernel clock of one host never repeats
 * within a boot, so the id is unique per host and boot; copies of one event (a producer retry, a
 * consumer replay) share it.
 *
 * <p>Accepts and closes are seen in the kernel's softirq context, so their thread id is not the
 * acting thread's (a close's is 0, an accept's the listener owner's): two of them on one host can
 * share a nanosecond and a tid (at 1,000 accepts/s, about once a quarter of an hour). Their ids
 * therefore end with the connection's ports, {@code :<client port>-<server port>} (client and
 * server as the schema names them), which tell apart connections that share a nanosecond.
 */
public final class EventId {
  private EventId() {}

  /** The id of an event captured on the host with this id. */
  public static String of(String hostId, Event event) {
    String id =
        hostId + ':' + event.kernelTimeNanos() + ':' + event.tid() + ':' + event.kind().label();
    return switch (event) {
      case InboundAcceptEvent a -> id + ':' + a.remotePort() + '-' + a.localPort();
      case ConnectionCloseEvent c ->
          c.inbound()
              ? id + ':' + c.remotePort() + '-' + c.localPort()
              : id + ':' + c.localPort() + '-' + c.remotePort();
      default -> id;
    };
  }
}
