package io.lanthorn.web;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.sink.sqlite.SqliteSink;
import io.lanthorn.sink.sqlite.SqliteSinkFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A history file written by sink-sqlite itself, so the dashboard reads exactly what the agent
 * writes: two containers (one with a failing and one with a new destination) and a host process, at
 * times counted from a fixed {@link #NOW}.
 */
final class TestHistory {
  /** The tests' now: the sink's and the server's clock, never the real one. */
  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String PAYMENTS = "web-test-payments";
  static final String WORKER = "web-test-worker";

  private TestHistory() {}

  /** Writes the history into {@code file} through the sink's write path. */
  static List<ConnectionEvent> write(Path file) throws Exception {
    List<ConnectionEvent> events = new ArrayList<>();
    // Two hours ago: the payments container's usual database, so it is not new in the last hour.
    for (int i = 0; i < 5; i++) {
      events.add(
          event(PAYMENTS, ago(Duration.ofMinutes(120 - i)), "10.0.0.5", 5432, Outcome.ESTABLISHED));
    }
    for (int i = 0; i < 40; i++) {
      events.add(
          event(PAYMENTS, ago(Duration.ofMinutes(50 - i)), "10.0.0.5", 5432, Outcome.ESTABLISHED));
    }
    // New in the last hour, and failing.
    for (int i = 0; i < 6; i++) {
      events.add(
          event(PAYMENTS, ago(Duration.ofMinutes(20 - i)), "10.0.9.9", 6379, Outcome.REFUSED));
    }
    for (int i = 0; i < 12; i++) {
      events.add(
          event(WORKER, ago(Duration.ofMinutes(30 - i)), "192.168.7.1", 443, Outcome.TIMED_OUT));
      events.add(
          event(WORKER, ago(Duration.ofMinutes(30 - i)), "10.0.0.5", 5432, Outcome.ESTABLISHED));
    }
    events.add(event(PAYMENTS, ago(Duration.ofMinutes(1)), "10.0.0.5", 5432, Outcome.ESTABLISHED));
    events.add(event(null, ago(Duration.ofMinutes(3)), "127.0.0.1", 9090, Outcome.ESTABLISHED));
    events.sort((a, b) -> Long.compare(a.timestampNanos(), b.timestampNanos()));

    try (SqliteSink sink =
        new SqliteSinkFactory()
            .create(
                TestPluginContext.forPlugin("sink-sqlite")
                    .with(Map.of("path", file.toString(), "retention", "0"))
                    .withClock(CLOCK))) {
      sink.write(events);
    }
    return events;
  }

  private static Instant ago(Duration duration) {
    return NOW.minus(duration);
  }

  static ConnectionEvent event(
      String container, Instant at, String destination, int port, Outcome outcome) {
    ConnectionEvent event =
        ConnectionEvent.builder()
            .family(AddressFamily.INET)
            .sourceAddress(InetAddress.ofLiteral("172.17.0.2"))
            .sourcePort(40_000 + port % 1000)
            .destinationAddress(InetAddress.ofLiteral(destination))
            .destinationPort(port)
            .timestampNanos(at.getEpochSecond() * 1_000_000_000L + at.getNano())
            .kernelTimeNanos(1_000_000_000L + at.getEpochSecond())
            .pid(4242)
            .tid(4242)
            .uid(0)
            .gid(0)
            .comm(container == null ? "curl" : "wget")
            .commandLine("wget http://" + destination + ":" + port + "/")
            .cgroupId(77)
            .cgroupName("docker-1.scope")
            .outcome(outcome)
            .errno(outcome == Outcome.REFUSED ? 111 : outcome == Outcome.TIMED_OUT ? 110 : 0)
            .handshakeNanos(outcome == Outcome.ESTABLISHED ? 45_000 : 1_000_000)
            .build();
    if (container == null) {
      return event;
    }
    return event
        .withAttribute(
            StandardAttributes.CONTAINER_ID, "c0ffee" + Integer.toHexString(container.hashCode()))
        .withAttribute(StandardAttributes.CONTAINER_NAME, container)
        .withAttribute(StandardAttributes.CONTAINER_IMAGE_NAME, "lanthorn-test:busybox")
        .withAttribute(StandardAttributes.COMPOSE_PROJECT, "shop")
        .withAttribute(
            StandardAttributes.COMPOSE_SERVICE, container.substring(container.lastIndexOf('-') + 1))
        .withAttribute(
            StandardAttributes.ATTRIBUTION_STATUS, StandardAttributes.ATTRIBUTION_ATTRIBUTED);
  }
}
