package io.lanthorn.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad inputs a user can give {@code bin/lanthorn run}: each is refused with one clear line on
 * standard error that names the thing, a non-zero exit, and nothing written — no database file, no
 * partial output.
 */
class BadInputsIT {
  @TempDir Path work;

  /** Where the database would go; created empty, so anything the agent writes shows. */
  Path data;

  Path db;

  @BeforeEach
  void setUp() throws Exception {
    data = Files.createDirectories(work.resolve("data"));
    db = data.resolve("lanthorn.db");
  }

  @Test
  void aMalformedConfigurationFile() throws Exception {
    Path config = Files.writeString(work.resolve("bad.conf"), "lanthorn {\n  pipeline {\n");

    Agent agent = run(Installation.shipped(), "--config", config.toString());

    assertRefused(agent, 3, "lanthorn: configuration: " + config + ": 3: ");
  }

  @Test
  void anUnknownKey() throws Exception {
    Path config =
        Files.writeString(
            work.resolve("typo.conf"), "probe-tcp {\n  ring-size = 8M\n  cout = 1\n}\n");

    Agent agent = run(Installation.shipped(), "--config", config.toString());

    assertRefused(agent, 3, "unknown key probe-tcp.cout", config + ": 3");
  }

  @Test
  void anUnwritableDatabasePath() throws Exception {
    // Root may write anywhere permissions allow: a path through a regular file is unwritable for
    // everyone.
    Path blocker = Files.writeString(data.resolve("not-a-directory"), "x");
    db = blocker.resolve("lanthorn.db");

    Agent agent = run(Installation.shipped());

    // Every plugin starts at once, so the probe may have attached (and logged so) before the sink
    // failed: the refusal is the last line, the only one of its kind and the only error.
    assertThat(agent.awaitExit()).as(agent.stderr()).isEqualTo(1);
    List<String> lines = agent.stderrLines();
    assertThat(lines.getLast())
        .startsWith("lanthorn: ")
        .contains("sink sink-sqlite failed to start", db.toString(), "sink-sqlite.path");
    assertThat(lines).as(agent.stderr()).filteredOn(l -> l.startsWith("lanthorn: ")).hasSize(1);
    assertThat(lines).as(agent.stderr()).noneMatch(l -> l.contains(" ERROR "));
    assertThat(agent.stdout()).isEmpty();
    assertThat(db).doesNotExist();
    try (Stream<Path> files = Files.list(data)) {
      assertThat(files).containsExactly(blocker);
    }
    assertThat(blocker).hasContent("x");
  }

  @Test
  void aPluginFolderOthersCanWrite() throws Exception {
    Installation installation = Installation.copyTo(work.resolve("lanthorn"));
    Installation.chmod(installation.plugin("sink-sqlite"), "rwxrwxr-x");

    Agent agent = run(installation);

    assertRefused(
        agent,
        4,
        installation.plugin("sink-sqlite") + " is writable by group or others",
        "chmod -R go-w");
  }

  @Test
  void aCorruptPluginJar() throws Exception {
    Installation installation = Installation.copyTo(work.resolve("lanthorn"));
    Path jar;
    try (Stream<Path> jars = Files.list(installation.plugin("enricher-docker"))) {
      jar =
          jars.filter(p -> p.getFileName().toString().startsWith("lanthorn-enricher-docker-"))
              .findFirst()
              .orElseThrow();
    }
    Files.writeString(jar, "this is not a jar");

    Agent agent = run(installation);

    assertRefused(agent, 4, "enricher-docker", jar.getFileName().toString());
  }

  @Test
  void withoutPrivilege() throws Exception {
    Facilities.assumeProbe();
    // The user nobody must reach and read the installation (0755/0644, owned by root, which the
    // agent accepts) and may write the database's directory: the probe is what must refuse.
    Installation.chmod(work, "rwxr-xr-x");
    Installation installation = Installation.copyTo(work.resolve("lanthorn"));
    Files.setOwner(
        data, work.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));

    Agent agent =
        Agent.of(installation)
            .logsIn(work.resolve("logs"))
            .asUser(65534, 65534)
            .run("run", "--db-path", db.toString());

    // Sinks and enrichers start before sources (so no event is captured before it has somewhere
    // to go): they log their start at INFO, and sink-sqlite has created and migrated its file by
    // the time the probe refuses. The one error line is the probe's; no connection is stored.
    // probe-dns and probe-udp, which the agent can run without, say in a WARN that domain names
    // and UDP destinations are off.
    assertThat(agent.awaitExit()).as(agent.stderr()).isEqualTo(1);
    assertThat(agent.stderrLines().stream().filter(line -> line.matches("\\S+ WARN .*")))
        .allMatch(
            line ->
                line.contains("[probe-dns] DNS names are off")
                    || line.contains("[probe-udp] UDP destinations are off"));
    List<String> errors =
        agent.stderrLines().stream().filter(line -> !line.matches("\\S+ (INFO|WARN) .*")).toList();
    assertThat(errors)
        .as(agent.stderr())
        .singleElement()
        .asString()
        .startsWith("lanthorn: source probe-tcp failed to start: ")
        .contains("run as root or grant the capabilities CAP_BPF and CAP_PERFMON");
    assertThat(agent.stdout()).isEmpty();
    if (Files.exists(db)) {
      assertThat(EventsDb.number(db, "SELECT count(*) FROM events")).isZero();
    }
  }

  private Agent run(Installation installation, String... options) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("run", "--db-path", db.toString()));
    args.addAll(List.of(options));
    return Agent.of(installation).logsIn(work.resolve("logs")).run(args.toArray(String[]::new));
  }

  /** Exit status {@code exit}, one line on stderr naming the thing, no output, nothing written. */
  private void assertRefused(Agent agent, int exit, String... named) throws Exception {
    assertThat(agent.awaitExit()).as(agent.stderr()).isEqualTo(exit);
    assertThat(agent.stderrLines()).as(agent.stderr()).hasSize(1);
    assertThat(agent.stderrLines().getFirst()).startsWith("lanthorn: ").contains(named);
    assertThat(agent.stdout()).isEmpty();
    assertThat(db).doesNotExist();
    if (!db.startsWith(data.resolve("not-a-directory"))) {
      assertThat(data).isEmptyDirectory();
    }
  }
}
