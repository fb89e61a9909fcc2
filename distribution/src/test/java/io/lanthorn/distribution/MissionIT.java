package io.lanthorn.distribution;

import static io.lanthorn.api.testkit.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mission, as a user runs it: the unpacked distribution's {@code bin/lanthorn run} with the
 * default plugins (probe-tcp, enricher-docker, sink-sqlite), a real kernel, a real dockerd and a
 * real SQLite file; connections from host processes and containers; SIGTERM; then the rows.
 */
class MissionIT {
  @TempDir Path work;

  @Test
  void everyAttemptIsStoredOnceWithWhoMadeItAndHowItEnded() throws Exception {
    Facilities.assumeDocker();
    require(Facilities.onPath("busybox"), "busybox is not installed");
    Path db = work.resolve("data/lanthorn.db");

    try (Docker docker = new Docker();
        HostTraffic host = new HostTraffic();
        Agent agent =
            Agent.of(Installation.shipped())
                .logsIn(work)
                .start("run", "--db-path", db.toString())) {
      agent.awaitRunning();
      assertThat(agent.stderr())
          .contains(
              "pipeline running: sources [probe-dns, probe-tcp, probe-udp], enrichers [enricher-docker,"
                  + " probe-dns, enricher-threat],"
                  + " sinks [sink-sqlite, web]");

      // Until the enricher reached Docker, containers' events are stored as runtime_unavailable
      // (documented); on a busy machine that handshake may end after the pipeline started.
      agent.awaitLog(Mission.DOCKER_CONNECTED);

      List<Attempt> attempts = Mission.makeAttempts(host, new ContainerTraffic(docker), work);
      Mission.awaitStored(db, attempts);

      assertThat(agent.stop()).as(agent.stderr()).isEqualTo(Agent.EXIT_SIGTERM);
      Mission.assertStoredOnce(db, attempts, true);

      // Everything the pipeline received was committed, nothing dropped, nothing else. (Loss at
      // the source is not asserted here: other engineers' connect storms on this shared machine
      // can fill the kernel ring, which is counted, not silent; FaultDrillsIT owns that claim.)
      Agent.FinalStatus status = agent.finalStatus();
      assertThat(status.dropped()).as(status.line()).isZero();
      assertThat(status.written())
          .as(status.line())
          .containsEntry("sink-sqlite", status.received());
      // probe-dns's answers are events too, stored in dns_events; probe-tcp's closes are
      // events stored as an update of the row they close (closed = 1).
      assertThat(
              EventsDb.number(
                  db,
                  "SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM dns_events)"
                      + " + (SELECT count(*) FROM events WHERE closed = 1)"))
          .isEqualTo(status.received());
      assertThat(EventsDb.integrityCheck(db)).isEqualTo("ok");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db)))
          .isEqualTo("rw-------");
    }
  }
}
