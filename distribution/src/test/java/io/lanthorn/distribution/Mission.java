package io.lanthorn.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;

/**
 * The mission's traffic and what the agent must have stored for it: connection attempts from host
 * processes and from containers, established and refused, over IPv4 and IPv6, from a named
 * long-lived container and from a {@code --rm} container that lives a few milliseconds.
 */
final class Mission {
  /** What enricher-docker logs once it reached the daemon and listed its containers. */
  static final String DOCKER_CONNECTED = "attributing containers through Docker at ";

  /**
   * The agent records every connection on the machine: behind another engineer's connect storm it
   * may hold a backlog of their events for a while before the test's rows are committed.
   */
  static final Duration BACKLOG_PATIENCE = Duration.ofMinutes(3);

  private Mission() {}

  /** Makes every attempt of the mission; returns them once all were made. */
  static List<Attempt> makeAttempts(HostTraffic host, ContainerTraffic containers, Path scratch)
      throws Exception {
    List<Attempt> attempts = new ArrayList<>();
    for (var to : List.of(HostTraffic.V4, HostTraffic.V6)) {
      attempts.add(host.established(to));
      attempts.add(host.refused(to));
      attempts.add(host.fromProcess(to, true));
      attempts.add(host.fromProcess(to, false));
    }
    attempts.addAll(containers.namedLongLived("named"));
    attempts.add(containers.shortLived("brief", scratch));
    return attempts;
  }

  /** Waits until every attempt has a row: the data is visible while the agent runs. */
  static void awaitStored(Path db, List<Attempt> attempts) {
    await("a row for each of " + attempts.size() + " attempts")
        .atMost(BACKLOG_PATIENCE)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> missing(db, attempts).isEmpty());
  }

  /** The attempts without a row yet. */
  static List<Attempt> missing(Path db, List<Attempt> attempts) {
    if (!db.toFile().exists()) {
      return attempts;
    }
    return attempts.stream()
        .filter(a -> EventsDb.rows(db, "dst_port = ?", a.dstPort()).stream().noneMatch(a::matches))
        .toList();
  }

  /**
   * Each attempt is stored exactly once with who made it and how it ended: family, addresses,
   * ports, outcome and errno, handshake time, pid, tid, uid and comm, and, with the Docker enricher
   * installed, the container's name, id and image (or that it ran in none). Without it, every
   * container column and the attribution status are NULL and nothing else differs.
   */
  static void assertStoredOnce(Path db, List<Attempt> attempts, boolean dockerEnricher) {
    long testPid = ProcessHandle.current().pid();
    SoftAssertions softly = new SoftAssertions();
    for (Attempt attempt : attempts) {
      List<EventsDb.Row> rows =
          EventsDb.rows(db, "dst_port = ?", attempt.dstPort()).stream()
              .filter(attempt::matches)
              .toList();
      assertThat(rows).as("rows for %s", attempt).hasSize(1);
      EventsDb.Row row = rows.getFirst();
      String what = attempt + ": " + row;
      softly.assertThat(row.family()).as(what).isEqualTo(attempt.family());
      softly.assertThat(row.outcome()).as(what).isEqualTo(attempt.outcome());
      softly
          .assertThat(row.errno())
          .as(what)
          .isEqualTo(attempt.outcome().equals(Attempt.REFUSED) ? Attempt.ECONNREFUSED : 0);
      softly.assertThat(row.srcAddr()).as(what).isEqualTo(attempt.dstAddr());
      // Refused attempts too had a local port: the kernel picks it before sending the SYN.
      softly.assertThat(row.srcPort()).as(what).isPositive().isNotEqualTo(attempt.dstPort());
      softly.assertThat(row.handshakeNs()).as(what).isNotNull().isPositive();
      softly.assertThat(row.processName()).as(what).isEqualTo(attempt.comm());
      softly.assertThat(row.uid()).as(what).isZero();
      softly.assertThat(row.tid()).as(what).isPositive();
      if (attempt.inContainer()) {
        softly.assertThat(row.pid()).as(what).isPositive().isNotEqualTo(testPid);
      } else {
        softly.assertThat(row.pid()).as(what).isEqualTo(attempt.pid());
      }
      if (dockerEnricher && attempt.inContainer()) {
        softly.assertThat(row.attributionStatus()).as(what).isEqualTo("attributed");
        softly.assertThat(row.containerName()).as(what).isEqualTo(attempt.container());
        softly.assertThat(row.containerId()).as(what).isEqualTo(attempt.containerId());
        softly.assertThat(row.imageName()).as(what).isEqualTo(Docker.IMAGE);
        // The image id is not in Docker's events: it comes from an inspection after the
        // container started, so a container's first connections may be stored without it.
        if (row.imageId() != null) {
          softly.assertThat(row.imageId()).as(what).startsWith("sha256:");
        }
      } else {
        softly
            .assertThat(row.attributionStatus())
            .as(what)
            .isEqualTo(dockerEnricher ? "not_in_container" : null);
        softly.assertThat(row.containerName()).as(what).isNull();
        softly.assertThat(row.containerId()).as(what).isNull();
        softly.assertThat(row.imageName()).as(what).isNull();
        softly.assertThat(row.imageId()).as(what).isNull();
      }
    }
    softly.assertAll();
  }
}
