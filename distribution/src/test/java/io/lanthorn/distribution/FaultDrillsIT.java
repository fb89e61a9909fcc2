package io.lanthorn.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent under stress and failure, run as a user runs it: killed outright during a connect
 * storm, stopped during one, and dockerd restarted under it.
 */
class FaultDrillsIT {
  /**
   * Rows of one process minus its distinct attempts. An attempt is its thread and its kernel start
   * time: two threads on two CPUs can start attempts in the same kernel nanosecond (seen here), one
   * thread cannot.
   */
  private static final String STORED_TWICE =
      "SELECT count(*) - count(DISTINCT tid || '/' || kernel_time_ns) FROM events"
          + " WHERE event_type = 'tcp_connect' AND pid = ?";

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
    AtomicLong committedBeforeKill = new AtomicLong();
    try (Agent agent =
            Agent.of(Installation.shipped())
                .logsIn(work.resolve("first"))
                .start("run", "--db-path", db.toString());
        ConnectStorm storm = startAfter(agent, 1)) {
      String stormRows =
          "SELECT count(*) FROM events WHERE event_type = 'tcp_connect' AND pid = ? AND dst_port = ?";
      String newestRow =
          "SELECT coalesce(max(timestamp_ns), 0) FROM events WHERE event_type = 'tcp_connect'"
              + " AND pid = ? AND dst_port = ?";
      long allowed = COMMIT_BOUND.plus(SLACK).toNanos();
      // The storm is under way, its rows are being committed, and the agent keeps up with it.
      // (Behind another engineer's connect storm on this shared machine it may first work off a
      // backlog; a crash then loses that backlog too, as the launcher's README says.)
      await("the agent committing the storm's rows as they come")
          .atMost(Mission.BACKLOG_PATIENCE)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                committedBeforeKill.set(EventsDb.number(db, stormRows, pid, storm.port()));
                long newest = EventsDb.number(db, newestRow, pid, storm.port());
                return committedBeforeKill.get() >= 2_000
                    && ConnectStorm.epochNanos() - newest < allowed;
              });

      long killedAt = ConnectStorm.epochNanos();
      agent.kill();
      assertThat(agent.awaitExit()).isEqualTo(137); // 128 + SIGKILL
      storm.stop();

      stored = (int) EventsDb.number(db, stormRows, pid, storm.port());
      begunBeforeKill = storm.begunBefore(killedAt);
      begunBeforeBound = storm.begunBefore(killedAt - allowed);
      long newest = EventsDb.number(db, newestRow, pid, storm.port());
      System.out.printf(
          Locale.ROOT,
          "SIGKILL drill: %d attempts begun before the kill, %d stored; the newest stored began"
              + " %.0f ms before the kill%n",
          begunBeforeKill,
          stored,
          (killedAt - newest) / 1e6);
      assertThat(agent.stderr()).doesNotContain("final: ");
    }

    // The file opens and is intact; every row committed before the kill survived it; what it
    // holds is the storm up to shortly before the kill, each attempt once.
    assertThat(EventsDb.integrityCheck(db)).isEqualTo("ok");
    assertThat(stored)
        .isGreaterThanOrEqualTo((int) committedBeforeKill.get())
        .isGreaterThanOrEqualTo(begunBeforeBound)
        .isLessThanOrEqualTo(begunBeforeKill);
    assertThat(EventsDb.number(db, STORED_TWICE, pid)).as("no attempt stored twice").isZero();

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
    long pid = ProcessHandle.current().pid();

    try (Agent agent =
            Agent.of(Installation.shipped()).logsIn(work).start("run", "--db-path", db.toString());
        ConnectStorm storm = startAfter(agent, 2)) {
      // SIGTERM while the storm runs at full speed. The probe detaches first thing, so the agent
      // captures the storm only up to then: a few thousand attempts, far fewer than the kernel
      // ring (8 MB, ~22,000 records) and the queues hold. On a quiet machine nothing is lost
      // (bench/agent/run.sh prints that figure); on a loaded one the ring may overflow before the
      // reader runs, but whatever is lost is counted, and nothing is lost after the kernel.
      await("the storm under way")
          .atMost(Agent.PATIENCE)
          .pollInterval(Duration.ofMillis(10))
          .until(() -> storm.made() >= 5_000);
      long stoppedAt = ConnectStorm.epochNanos();
      assertThat(agent.stop()).as(agent.stderr()).isEqualTo(Agent.EXIT_SIGTERM);
      int made = storm.stop();

      Agent.FinalStatus status = agent.finalStatus();
      String stormRows =
          "SELECT count(*) FROM events WHERE event_type = 'tcp_connect' AND pid = ? AND dst_port = ?";
      long stored = EventsDb.number(db, stormRows, pid, storm.port());
      int begunBeforeStop = storm.begunBefore(stoppedAt);
      System.out.printf(
          Locale.ROOT,
          "SIGTERM drill: %d storm attempts begun before SIGTERM, %d in all, %d stored; %s%n",
          begunBeforeStop,
          made,
          stored,
          status.line());
      // Everything the probe took from the kernel ring reached the pipeline and was committed:
      // nothing dropped, and the file holds exactly that many rows.
      assertThat(status.dropped()).as(status.line()).isZero();
      assertThat(status.failed()).as(status.line()).containsEntry("sink-sqlite", 0L);
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
      // So every storm attempt begun before the SIGTERM is there (the probe was attached) or
      // counted lost at the source, and none is there twice.
      assertThat(stored + status.lostAtSource())
          .as(status.line())
          .isGreaterThanOrEqualTo(begunBeforeStop);
      assertThat(stored).isLessThanOrEqualTo(made);
      assertThat(EventsDb.number(db, STORED_TWICE, pid)).as("no attempt stored twice").isZero();
      assertThat(EventsDb.integrityCheck(db)).isEqualTo("ok");
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
      assertThat(status.dropped()).as(status.line()).isZero();
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

  /** Starts a storm once the agent runs. */
  private static ConnectStorm startAfter(Agent agent, int threads) throws Exception {
    agent.awaitRunning();
    return new ConnectStorm(threads);
  }
}
