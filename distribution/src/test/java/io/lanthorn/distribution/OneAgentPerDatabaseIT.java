package io.lanthorn.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writing agent per database, and readers beside it: a second {@code lanthorn run} on the same
 * file refuses in one line naming the first's pid, {@code lanthorn query} reads while the first
 * writes, and agents on different files each record every connection.
 */
class OneAgentPerDatabaseIT {
  @TempDir Path work;

  @Test
  void aSecondAgentOnTheSameDatabaseRefusesNamingTheFirstsPid() throws Exception {
    Facilities.assumeProbe();
    Path db = work.resolve("lanthorn.db");
    try (Agent first = agent("first").start("run", "--db-path", db.toString());
        HostTraffic traffic = new HostTraffic()) {
      first.awaitRunning();

      Agent second = agent("second").run("run", "--db-path", db.toString());

      assertThat(second.awaitExit()).as(second.stderr()).isEqualTo(1);
      // Only the refusal: no other failure (probe-dns's WARN that the first agent's DNS programs
      // are attached is information, not an error).
      List<String> errors =
          second.stderrLines().stream()
              .filter(line -> !line.matches("\\S+ (INFO|WARN) .*"))
              .toList();
      assertThat(errors)
          .as(second.stderr())
          .singleElement()
          .asString()
          .startsWith("lanthorn: ")
          .contains(db + " is in use by another Lanthorn agent (pid " + first.pid() + ")");

      // The first goes on recording, and a reader answers while it writes.
      Attempt attempt = traffic.refused(HostTraffic.V4);
      await()
          .atMost(Agent.PATIENCE)
          .until(() -> !EventsDb.rows(db, "dst_port = ?", attempt.dstPort()).isEmpty());
      Agent query =
          agent("query").run("query", "failed", "--since", "1h", "--db-path", db.toString());
      assertThat(query.awaitExit()).as(query.stderr()).isZero();
      assertThat(query.stdout()).contains(String.valueOf(attempt.dstPort()));
      assertThat(first.stop()).isEqualTo(Agent.EXIT_SIGTERM);
    }
  }

  @Test
  void agentsOnDifferentDatabasesEachRecordEveryConnection() throws Exception {
    Facilities.assumeProbe();
    Path one = work.resolve("one.db");
    Path two = work.resolve("two.db");
    try (Agent first = agent("one").start("run", "--db-path", one.toString());
        Agent second = agent("two").start("run", "--db-path", two.toString());
        HostTraffic traffic = new HostTraffic()) {
      first.awaitRunning();
      second.awaitRunning();

      Attempt attempt = traffic.refused(HostTraffic.V4);

      for (Path db : List.of(one, two)) {
        await()
            .atMost(Agent.PATIENCE)
            .until(() -> EventsDb.rows(db, "dst_port = ?", attempt.dstPort()).size() == 1);
      }
      assertThat(first.stop()).isEqualTo(Agent.EXIT_SIGTERM);
      assertThat(second.stop()).isEqualTo(Agent.EXIT_SIGTERM);
    }
  }

  private Agent.Launcher agent(String logs) {
    return Agent.of(Installation.shipped()).logsIn(work.resolve(logs));
  }
}
