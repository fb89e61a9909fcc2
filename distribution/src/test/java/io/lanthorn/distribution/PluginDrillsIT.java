package io.lanthorn.distribution;

import static io.lanthorn.api.testkit.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins added and removed the way a user does it, in a copy of the distribution: remove the
 * Docker enricher's folder, turn the example JSON-lines sink on, remove the probe's folder.
 */
class PluginDrillsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @Test
  void withoutTheDockerEnricherRowsLackOnlyTheContainerFields() throws Exception {
    Facilities.assumeDocker();
    require(Facilities.onPath("busybox"), "busybox is not installed");
    Installation installation = Installation.copyTo(work.resolve("lanthorn"));
    installation.removePlugin("enricher-docker");
    Path db = work.resolve("lanthorn.db");

    try (Docker docker = new Docker();
        HostTraffic host = new HostTraffic();
        Agent agent =
            Agent.of(installation).logsIn(work).start("run", "--db-path", db.toString())) {
      agent.awaitRunning();
      assertThat(agent.stderr())
          .contains(
              "pipeline running: sources [probe-dns, probe-tcp, probe-udp], enrichers [probe-dns, enricher-threat],"
                  + " sinks"
                  + " [sink-sqlite, web]");

      List<Attempt> attempts = Mission.makeAttempts(host, new ContainerTraffic(docker), work);
      Mission.awaitStored(db, attempts);

      assertThat(agent.stop()).as(agent.stderr()).isEqualTo(Agent.EXIT_SIGTERM);
      // The same rows as with the enricher (the kernel-captured cgroup still names the
      // container), with every container column and the attribution status NULL.
      Mission.assertStoredOnce(db, attempts, false);
      assertThat(EventsDb.number(db, "SELECT count(*) FROM events WHERE container_name NOT NULL"))
          .isZero();
      Agent.FinalStatus status = agent.finalStatus();
      assertThat(status.written())
          .as(status.line())
          .containsEntry("sink-sqlite", status.received());
      assertThat(status.dropped()).as(status.line()).isZero();
    }
  }

  @Test
  void theJsonLinesSinkReceivesTheSameEventsAsSqlite() throws Exception {
    Facilities.assumeDocker();
    require(Facilities.onPath("busybox"), "busybox is not installed");
    Path db = work.resolve("lanthorn.db");
    Path jsonl = work.resolve("events.jsonl");

    try (Docker docker = new Docker();
        HostTraffic host = new HostTraffic();
        Agent agent =
            Agent.of(Installation.shipped())
                .logsIn(work)
                .env("CONFIG_FORCE_sink__jsonl_enabled", "true")
                .env("CONFIG_FORCE_sink__jsonl_path", jsonl.toString())
                // Outbound connections only: DNS answers go to dns_events, closes update rows,
                // accepts and UDP are rows of other kinds (SinksAgreeTest compares those).
                .env("CONFIG_FORCE_probe__tcp_lifetime", "false")
                .start(
                    "run",
                    "--disable-dns-mon",
                    "--disable-inbound-mon",
                    "--disable-udp-mon",
                    "--db-path",
                    db.toString())) {
      agent.awaitRunning().awaitLog(Mission.DOCKER_CONNECTED);
      assertThat(agent.stderr())
          .containsPattern("sinks \\[sink-(jsonl|sqlite), sink-(jsonl|sqlite), web]");

      List<Attempt> attempts = new ArrayList<>();
      attempts.add(host.established(HostTraffic.V4));
      attempts.add(host.refused(HostTraffic.V6));
      attempts.addAll(new ContainerTraffic(docker).namedLongLived("json"));
      Mission.awaitStored(db, attempts);

      assertThat(agent.stop()).as(agent.stderr()).isEqualTo(Agent.EXIT_SIGTERM);
      Agent.FinalStatus status = agent.finalStatus();
      assertThat(status.written())
          .as(status.line())
          .containsEntry("sink-sqlite", status.received())
          .containsEntry("sink-jsonl", status.received());
      // No threat feed was reported (none fetched: remote-fetch is off and none is a file), so
      // sink-jsonl, which takes every kind but those reports, skipped nothing.
      assertThat(status.skipped()).as(status.line()).containsEntry("sink-jsonl", 0L);

      // Every event either sink got, the other got too, once: the test's attempts and whatever
      // else connected on this machine meanwhile.
      List<String> fromSqlite = EventsDb.all(db).stream().map(PluginDrillsIT::identity).toList();
      List<String> fromJsonl = new ArrayList<>();
      for (Path file : withRotated(jsonl)) {
        for (String line : Files.readAllLines(file)) {
          fromJsonl.add(identity(JSON.readTree(line)));
        }
      }
      assertThat(fromSqlite).hasSize((int) status.received());
      assertThat(fromJsonl).containsExactlyInAnyOrderElementsOf(fromSqlite);
      for (Attempt attempt : attempts) {
        assertThat(fromJsonl)
            .as("the JSON line for %s", attempt)
            .anyMatch(
                line -> line.contains(" " + attempt.dstAddr() + ":" + attempt.dstPort() + " "));
      }
    }
  }

  @Test
  void withoutTheProbesNothingCanBeMonitored() throws Exception {
    Installation installation = Installation.copyTo(work.resolve("lanthorn"));
    installation.removePlugin("probe-tcp");
    installation.removePlugin("probe-dns");
    installation.removePlugin("probe-udp");
    installation.removePlugin("source-kafka"); // the other source: none is left installed
    Path db = work.resolve("data/lanthorn.db");

    try (Agent agent =
        Agent.of(installation)
            .logsIn(work.resolve("logs"))
            .run("run", "--db-path", db.toString())) {
      assertThat(agent.awaitExit()).isEqualTo(5);
      assertThat(agent.stderrLines())
          .containsExactly(
              "lanthorn: no event source is installed or enabled: nothing can be monitored"
                  + " (plugins dir: "
                  + installation.plugins()
                  + ")");
      assertThat(work.resolve("data")).doesNotExist();
    }
  }

  /**
   * The file and the ones rotated out of it ({@code x.jsonl.1}, {@code .2} …): every connection on
   * the machine reaches the sink, and another engineer's storm can fill {@code max-file-size}.
   */
  private static List<Path> withRotated(Path file) throws IOException {
    List<Path> files = new ArrayList<>(List.of(file));
    for (int i = 1; Files.exists(Path.of(file + "." + i)); i++) {
      files.add(Path.of(file + "." + i));
    }
    return files;
  }

  /** An event as SQLite stores it: when, who, where to, how it ended, which container. */
  private static String identity(EventsDb.Row row) {
    return row.identity() + " " + row.containerName() + " " + row.attributionStatus();
  }

  /** The same, from a JSON line of sink-jsonl. */
  private static String identity(JsonNode line) {
    JsonNode attributes = line.get("attributes");
    EventsDb.Row row =
        new EventsDb.Row(
            line.get("time_unix_nano").asLong(),
            line.get("lanthorn.kernel_time_nanos").asLong(),
            line.get("network.type").asText(),
            line.get("client.address").asText(),
            line.get("client.port").asInt(),
            line.get("server.address").asText(),
            line.get("server.port").asInt(),
            line.get("lanthorn.connect.outcome").asText(),
            line.get("lanthorn.connect.errno").asInt(),
            line.get("lanthorn.connect.handshake_nanos").isNull()
                ? null
                : line.get("lanthorn.connect.handshake_nanos").asLong(),
            line.get("process.pid").asLong(),
            line.get("thread.id").asLong(),
            line.get("process.real_user.id").asLong(),
            line.get("process.executable.name").asText(),
            null,
            line.get("lanthorn.cgroup.id").asLong(),
            null,
            null,
            null,
            null,
            null,
            null);
    return row.identity()
        + " "
        + text(attributes, "container.name")
        + " "
        + text(attributes, "lanthorn.attribution.status");
  }

  private static String text(JsonNode attributes, String key) {
    JsonNode value = attributes.get(key);
    return value == null || value.isNull() ? "null" : value.asText();
  }
}
