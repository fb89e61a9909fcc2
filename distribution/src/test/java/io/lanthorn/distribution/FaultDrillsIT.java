package io.lanthorn.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent under stress and failure, run as a user runs it: killed outright during a connect
 * storm, stopped during one, and dockerd restarted under it.
 */
class FaultDrillsIT {
  /**
   * How long a connection may take from its handshake to a committed row, with the defaults: the
   * probe's reader takes records from the kernel ring every {@code probe-tcp.poll-interval} (50
   * ms), a sink's batch is written at most {@code lanthorn.pipeline.flush-interval} (100 ms) after
   * its first event, then committed (one transaction, a few ms). A SIGKILL therefore loses only
   * what was captured in about the last 150 ms plus one commit. The assertion allows for a busy
   * shared 2-core machine (scheduling, GC) on top of that.
   */
  static final Duration COMMIT_BOUND = Duration.ofMillis(50 + 100);

  static final Duration SLACK = Duration.ofMillis(850);

  @TempDir Path work;

  @Test
  void killedDuringAStormTheDatabaseStaysIntactAndLosesOnlyTheLastFlush() throws Exception {
    Facilities.assumeProbe();
    Path db = work.resolve("lanthorn.db");
    long pid = ProcessHandle.current().pid();

    int stored;
    int begunBeforeBound;
    int begunBeforeKill;
    try (Agent agent =
            Agent.of(Installation.shipped())
                .logsIn(work.resolve("first"))
                .start("run", "--db-path", db.toString());
        ConnectStorm.JavaStorm storm = startAfter(agent)) {
      String stormRows = "SELECT count(*) FROM events WHERE pid = ? AND dst_port = ?";
      // The storm is under way and its rows are being committed.
      await("storm rows being committed")
          .atMost(Agent.PATIENCE)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> EventsDb.number(db, stormRows, pid, storm.port()) >= 2_000);

      long killedAt = epochNanos();
      agent.kill();
      assertThat(agent.awaitExit()).isEqualTo(137); // 128 + SIGKILL
      storm.stop();

      stored = (int) EventsDb.number(db, stormRows, pid, storm.port());
      begunBeforeKill = storm.begunBefore(killedAt);
      begunBeforeBound = storm.begunBefore(killedAt - COMMIT_BOUND.plus(SLACK).toNanos());
      long newest =
          EventsDb.number(
              db,
              "SELECT max(timestamp_ns) FROM events WHERE pid = ? AND dst_port = ?",
              pid,
              storm.port());
      System.out.printf(
          Locale.ROOT,
          "SIGKILL drill: %d attempts begun before the kill, %d stored; the newest stored began"
              + " %.0f ms before the kill%n",
          begunBeforeKill,
          stored,
          (killedAt - newest) / 1e6);
      assertThat(agent.stderr()).doesNotContain("final: ");
    }

    // The file opens and is intact; what it holds is the storm up to shortly before the kill,
    // each attempt once.
    assertThat(EventsDb.integrityCheck(db)).isEqualTo("ok");
    assertThat(stored)
        .isLessThanOrEqualTo(begunBeforeKill)
        .isGreaterThanOrEqualTo(begunBeforeBound);
    assertThat(
            EventsDb.number(
                db,
                "SELECT count(DISTINCT kernel_time_ns) - count(*) FROM events WHERE pid = ?",
                pid))
        .as("no attempt stored twice")
        .isZero();

    // Restarted on the same file, the agent carries on appending to it.
    try (HostTraffic host = new HostTraffic();
        Agent agent =
            Agent.of(Installation.shipped())
                .logsIn(work.resolve("second"))
                .start("run", "--db-path", db.toString())) {
      agent.awaitRunning();
      Attempt after = host.established(HostTraffic.V4);
      Mission.awaitStored(db, List.of(after));
      assertThat(agent.stop()).as(agent.stderr()).isEqualTo(Agent.EXIT_SIGTERM);
      assertThat(EventsDb.rows(db, "dst_port = ? AND pid = ?", after.dstPort(), pid)).hasSize(1);
    }
    assertThat(EventsDb.integrityCheck(db)).isEqualTo("ok");
  }

  @Test
  void stoppedDuringAStormEveryEventThatLeftTheKernelIsStored() throws Exception {
    Facilities.assumeProbe();
    Path db = work.resolve("lanthorn.db");
    Path binary = ConnectStorm.compileNative(work);
    assumeTrue(binary != null, "no C compiler (cc or clang) for the connect storm: skipped");

    try (Agent agent =
        Agent.of(Installation.shipped()).logsIn(work).start("run", "--db-path", db.toString())) {
      agent.awaitRunning();
      // As fast as two threads go, for longer than the test waits: the agent is stopped while it
      // runs. Once the storm runs, the stop comes within ~1,000 committed rows, far less than
      // the kernel ring (8 MB, ~22,000 records) and the queues hold, so nothing may be lost.
      int attempts = 1_000_000;
      Process storm = ConnectStorm.startNative(binary, attempts, 2);
      try {
        String stormRows = "SELECT count(*) FROM events WHERE pid = ?";
        await("storm rows being committed")
            .atMost(Agent.PATIENCE)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> EventsDb.number(db, stormRows, storm.pid()) >= 1_000 || !storm.isAlive());
        assertThat(storm.isAlive()).as("the storm still runs when the agent is stopped").isTrue();

        assertThat(agent.stop()).as(agent.stderr()).isEqualTo(Agent.EXIT_SIGTERM);
        assertThat(storm.isAlive()).as("the storm ran until the agent had stopped").isTrue();
        storm.destroyForcibly();

        Agent.FinalStatus status = agent.finalStatus();
        long stormStored = EventsDb.number(db, stormRows, storm.pid());
        System.out.printf(
            Locale.ROOT, "SIGTERM drill: %s; storm rows %d%n", status.line(), stormStored);
        // Everything the probe took from the kernel ring reached the pipeline and was committed:
        // nothing lost at the source, nothing dropped, and the file holds exactly that many rows.
        assertThat(status.lostAtSource()).as(status.line()).isZero();
        assertThat(status.dropped()).as(status.line()).isZero();
        assertThat(status.failed()).as(status.line()).containsEntry("sink-sqlite", 0L);
        assertThat(status.written())
            .as(status.line())
            .containsEntry("sink-sqlite", status.received());
        assertThat(EventsDb.number(db, "SELECT count(*) FROM events")).isEqualTo(status.received());
        assertThat(stormStored).isBetween(1_000L, (long) attempts);
        assertThat(
                EventsDb.number(
                    db,
                    "SELECT count(DISTINCT kernel_time_ns) - count(*) FROM events WHERE pid = ?",
                    storm.pid()))
            .as("no attempt stored twice")
            .isZero();
        assertThat(EventsDb.integrityCheck(db)).isEqualTo("ok");
      } finally {
        storm.destroyForcibly();
      }
    }
  }

  @Test
  void afterDockerdRestartsContainersAreAttributedAgain() throws Exception {
    Facilities.assumeDocker();
    Path db = work.resolve("lanthorn.db");

    try (Docker docker = new Docker();
        Agent agent =
            Agent.of(Installation.shipped())
                .logsIn(work)
                .start("run", "--db-path", db.toString())) {
      agent.awaitRunning().awaitLog(Mission.DOCKER_CONNECTED);
      ContainerTraffic traffic = new ContainerTraffic(docker);
      List<Attempt> before = traffic.namedLongLived("before");
      Mission.awaitStored(db, before);
      assertThat(attribution(db, before.getFirst())).isEqualTo("attributed");

      String after = docker.name("after");
      int port = 40_000 + (int) (ProcessHandle.current().pid() % 10_000);
      try {
        Docker.restartDaemon();
        // Started after the restart; connects (refused) five times a second until removed.
        Docker.docker(
            "run",
            "-d",
            "--name",
            after,
            "--network",
            "none",
            Docker.IMAGE,
            "sh",
            "-c",
            "while true; do nc 127.0.0.1 " + port + "; sleep 0.2; done");
      } finally {
        Docker.ensureDaemon(); // whatever happened, leave dockerd running
      }
      String id = Docker.idOf(after);
      await(after + " attributed")
          .atMost(Agent.PATIENCE)
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  EventsDb.number(
                          db,
                          "SELECT count(*) FROM events WHERE dst_port = ? AND container_id = ?"
                              + " AND container_name = ? AND image_name = ?"
                              + " AND attribution_status = 'attributed'",
                          port,
                          id,
                          after,
                          Docker.IMAGE)
                      > 0);

      assertThat(agent.stop()).as(agent.stderr()).isEqualTo(Agent.EXIT_SIGTERM);
      Agent.FinalStatus status = agent.finalStatus();
      assertThat(status.lostAtSource() + status.dropped()).as(status.line()).isZero();
      // Capture never stopped: every one of the container's connections has its row and its id,
      // the early ones perhaps without a name (Docker was not yet answering the agent).
      assertThat(
              EventsDb.number(
                  db,
                  "SELECT count(*) FROM events WHERE dst_port = ? AND cgroup_name LIKE ?"
                      + " AND (container_id IS NOT ? OR attribution_status NOT IN"
                      + " ('attributed', 'runtime_unavailable', 'unknown_container'))",
                  port,
                  "%" + id + "%",
                  id))
          .isZero();
    }
  }

  private static String attribution(Path db, Attempt attempt) {
    return EventsDb.rows(db, "dst_port = ?", attempt.dstPort()).stream()
        .filter(attempt::matches)
        .findFirst()
        .orElseThrow()
        .attributionStatus();
  }

  /** Starts a Java storm once the agent runs. */
  private static ConnectStorm.JavaStorm startAfter(Agent agent) throws Exception {
    agent.awaitRunning();
    return new ConnectStorm.JavaStorm(2_000_000);
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
