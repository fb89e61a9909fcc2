package io.lanthorn.sink.sqlite;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.sink.sqlite.store.EpochNanos;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Events for tests: realistic values, every one distinguishable. */
public final class TestEvents {
  /**
   * The tests' "now": what {@link TestContext}'s clock says unless a test sets it (a Clock.fixed
   * instant, never the real clock), so that retention, health intervals and {@code --since} count
   * from it on any date. Events at or after it are never older than the default retention.
   */
  public static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  private TestEvents() {}

  /** A host process's established IPv4 connection to 127.0.0.1:port at the given time. */
  public static ConnectionEvent.Builder host(Instant at, int port) {
    return ConnectionEvent.builder()
        .family(AddressFamily.INET)
        .sourceAddress(address("127.0.0.1"))
        .sourcePort(40_000 + port % 20_000)
        .destinationAddress(address("127.0.0.1"))
        .destinationPort(port)
        .timestampNanos(EpochNanos.of(at))
        .kernelTimeNanos(1_000_000_000L + port)
        .pid(4242)
        .tid(4243)
        .uid(1000)
        .gid(1000)
        .comm("curl")
        .commandLine("curl http://127.0.0.1:" + port + "/")
        .cgroupId(77)
        .cgroupName("session-1.scope")
        .outcome(Outcome.ESTABLISHED)
        .handshakeNanos(45_000);
  }

  /** The same, from a process in a Docker container with that name. */
  public static ConnectionEvent.Builder inContainer(String container, Instant at, int port) {
    ConnectionEvent event = host(at, port).comm("wget").build();
    return event
        .withAttribute(StandardAttributes.CONTAINER_ID, "c0ffee" + container.hashCode())
        .withAttribute(StandardAttributes.CONTAINER_NAME, container)
        .withAttribute(StandardAttributes.CONTAINER_IMAGE_NAME, "lanthorn-test:busybox")
        .withAttribute(StandardAttributes.CONTAINER_LABELS, Map.of("team", "payments"))
        .withAttribute(
            StandardAttributes.ATTRIBUTION_STATUS, StandardAttributes.ATTRIBUTION_ATTRIBUTED)
        .toBuilder();
  }

  /** {@code count} host events one millisecond apart starting at {@code start}. */
  public static List<ConnectionEvent> hostBatch(Instant start, int count) {
    List<ConnectionEvent> batch = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      batch.add(host(start.plusMillis(i), 8000 + i % 7).build());
    }
    return batch;
  }

  public static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
