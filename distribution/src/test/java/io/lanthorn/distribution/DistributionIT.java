package io.lanthorn.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lanthorn.launcher.TestPlugins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged distribution, run as a user would: {@code bin/lanthorn} from the unpacked tree, its
 * commands, its shipped configuration and tarball, and the real sink-jsonl plugin folder fed by a
 * source plugin built at test time.
 */
class DistributionIT {
  private static final Path DIST = Installation.shipped().home();
  private static final String VERSION = System.getProperty("lanthorn.version");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path work;

  private Agent lanthorn(String... args) throws Exception {
    return lanthorn(Installation.shipped(), args);
  }

  private Agent lanthorn(Installation installation, String... args) throws Exception {
    return Agent.of(installation).logsIn(work.resolve("logs")).run(args);
  }

  @Test
  void versionAndHelpWork() throws Exception {
    Agent version = lanthorn("--version");
    assertThat(version.awaitExit()).isZero();
    assertThat(version.stdout()).startsWith("lanthorn " + VERSION + "\n");

    Agent help = lanthorn("--help");
    assertThat(help.awaitExit()).isZero();
    assertThat(help.stdout())
        .contains("Usage: lanthorn")
        .contains("plugins")
        .containsPattern("--db-path=PATH +SQLite database file\\. \\(sets sink-sqlite\\.path\\)")
        .contains("--disable-tcp-mon", "--disable-docker-mon");
  }

  @Test
  void helpListsDbPathOnlyWhileSinkSqliteIsInstalled() throws Exception {
    Installation copy = Installation.copyTo(work.resolve("lanthorn"));
    copy.removePlugin("sink-sqlite");

    Agent help = lanthorn(copy, "--help");
    assertThat(help.awaitExit()).isZero();
    assertThat(help.stdout()).contains("--disable-tcp-mon").doesNotContain("--db-path");
    assertThat(help.stdout()).doesNotContainPattern("query\\s+Answer");

    Agent run = lanthorn(copy, "run", "--db-path", work.resolve("x.db").toString());
    assertThat(run.awaitExit()).isEqualTo(2);
    assertThat(run.stderrLines())
        .singleElement()
        .asString()
        .startsWith("lanthorn: Unknown options: '--db-path'")
        .endsWith("(see lanthorn --help)");
  }

  @Test
  void pluginsListsTheShippedPluginsAndForgetsARemovedOne() throws Exception {
    Agent listed = lanthorn("plugins");
    assertThat(listed.awaitExit()).isZero();
    assertThat(listed.stdout())
        .containsPattern("source +probe-tcp +enabled .* " + DIST.resolve("plugins/probe-tcp"))
        .contains("    flags: --db-path PATH (sets sink-sqlite.path)")
        .contains("    commands: query")
        .containsPattern(
            "enricher +enricher-docker +enabled .* " + DIST.resolve("plugins/enricher-docker"))
        .containsPattern("sink +sink-sqlite +enabled .* " + DIST.resolve("plugins/sink-sqlite"))
        .containsPattern(
            "sink +sink-jsonl +disabled \\(plugin default\\) +"
                + DIST.resolve("plugins/sink-jsonl"));

    Installation copy = Installation.copyTo(work.resolve("lanthorn"));
    copy.removePlugin("sink-jsonl");
    Agent after = lanthorn(copy, "plugins");
    assertThat(after.awaitExit()).isZero();
    assertThat(after.stdout()).contains("sink-sqlite").doesNotContain("sink-jsonl");
  }

  @Test
  void runWithTheProbesDisabledSaysNothingCanBeMonitored() throws Exception {
    Path db = work.resolve("data/lanthorn.db");

    Agent run =
        lanthorn(
            "run",
            "--disable-tcp-mon",
            "--disable-dns-mon",
            "--disable-udp-mon",
            "--db-path",
            db.toString());

    assertThat(run.awaitExit()).isEqualTo(5);
    assertThat(run.stderrLines())
        .containsExactly(
            "lanthorn: no event source is installed or enabled: nothing can be monitored (plugins"
                + " dir: "
                + DIST.resolve("plugins")
                + "; installed but disabled: probe-dns (disabled by --disable-dns-mon), probe-tcp"
                + " (disabled by --disable-tcp-mon), probe-udp (disabled by --disable-udp-mon),"
                + " source-kafka (disabled by plugin default))");
    assertThat(work.resolve("data")).doesNotExist();
  }

  @Test
  void theShippedConfigurationUncommentedIsValid() throws Exception {
    String uncommented =
        Files.readString(DIST.resolve("conf/lanthorn.conf"))
            .lines()
            .map(line -> line.startsWith("#") && !line.startsWith("# ") ? line.substring(1) : line)
            .reduce("", (a, b) -> a + b + "\n");
    // Every section's opening line is uncommented like the rest (none hides behind a blank).
    assertThat(uncommented)
        .contains("\nlanthorn {", "\nprobe-tcp {", "\nenricher-docker {", "\nsink-sqlite {")
        .contains("\nsink-jsonl {", "\nprobe-dns {", "\nenricher-threat {");
    Path file = Files.writeString(work.resolve("uncommented.conf"), uncommented);

    Agent listed = lanthorn("plugins", "--config", file.toString());

    assertThat(listed.awaitExit()).as(listed.stderr()).isZero();
    assertThat(listed.stderr()).isEmpty();
  }

  @Test
  void theAotCachesAreUsedOnlyWhileTheyMatchAndAreSafe() throws Exception {
    Facilities.assumeProbe(); // the training run is a real one
    Installation copy = Installation.copyTo(work.resolve("lanthorn"));
    Path agentCache = copy.home().resolve("lib/lanthorn.aot");
    Path commandsCache = copy.home().resolve("lib/lanthorn-commands.aot");

    // Two training runs, each followed by the JVM writing its cache: minutes on a busy machine.
    try (Agent built = Agent.of(copy).logsIn(work.resolve("logs")).start("aot-cache")) {
      assertThat(built.awaitExit(Duration.ofMinutes(4))).as(built.stderr()).isZero();
      assertThat(built.stderr()).contains("wrote " + agentCache, "wrote " + commandsCache);
    }
    for (Path cache : List.of(agentCache, commandsCache)) {
      assertThat(cache).isNotEmptyFile();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
          .isEqualTo("rw-r--r--");
    }
    // The agent (here `run --help`) maps its cache with the tiered JIT; a command maps the other,
    // with C1 only.
    assertThat(launcherMainSource(copy, "run", "--help")).isEqualTo("shared objects file");
    assertThat(jitFlag(copy, "run", "--help")).isEqualTo("4");
    assertThat(launcherMainSource(copy, "--version")).isEqualTo("shared objects file");
    assertThat(jitFlag(copy, "--version")).isEqualTo("1");
    assertThat(jitFlag(copy, "--log-level", "warn", "plugins")).isEqualTo("1");
    assertThat(jitFlag(copy, "--db-path", "/nowhere/x.db", "--help")).isEqualTo("1");

    // Group-writable: whoever could write it could run code as root, so it is not used.
    Files.setPosixFilePermissions(agentCache, PosixFilePermissions.fromString("rw-rw-r--"));
    assertThat(launcherMainSource(copy, "run", "--help")).startsWith("file:");
    assertThat(launcherMainSource(copy, "--version")).isEqualTo("shared objects file");
    Files.setPosixFilePermissions(agentCache, PosixFilePermissions.fromString("rw-r--r--"));

    // Built for other jars (or JVM options, or another JDK): not used, with the fix.
    Files.writeString(copy.home().resolve("lib/lanthorn-commands.aot.key"), "0\n");
    Agent stale = lanthorn(copy, "--version");
    assertThat(stale.awaitExit()).isZero();
    assertThat(stale.stderrLines())
        .containsExactly(
            "lanthorn: not using "
                + commandsCache
                + ": it was built for other jars, JVM options or another JDK; rebuild it: sudo"
                + " lanthorn aot-cache");
    assertThat(launcherMainSource(copy, "run", "--help")).isEqualTo("shared objects file");
  }

  /** Where the JVM of {@code lanthorn ARGS} took the launcher's main class from. */
  private String launcherMainSource(Installation installation, String... args) throws Exception {
    return jvmOutputLine(
        installation, "-Xlog:class+load=info:stdout", " io.lanthorn.launcher.Main source: ", args);
  }

  /** The JIT's highest tier in the JVM of {@code lanthorn ARGS}: 4 with C2, 1 with C1 only. */
  private String jitFlag(Installation installation, String... args) throws Exception {
    // "     intx TieredStopAtLevel                        = 1    {product} {command line}"
    String value = jvmOutputLine(installation, "-XX:+PrintFlagsFinal", " TieredStopAtLevel ", args);
    return value.replace('=', ' ').strip().substring(0, 1);
  }

  /** What follows {@code marker} on the first line of stdout containing it. */
  private String jvmOutputLine(
      Installation installation, String javaOpts, String marker, String... args) throws Exception {
    Agent run =
        Agent.of(installation)
            .logsIn(work.resolve("logs"))
            .env("LANTHORN_JAVA_OPTS", javaOpts)
            .run(args);
    assertThat(run.awaitExit()).as(run.stderr()).isZero();
    return run.stdout()
        .lines()
        .filter(line -> line.contains(marker))
        .map(line -> line.substring(line.indexOf(marker) + marker.length()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theTarballHasSafeModesAndTheLayout() throws Exception {
    Process tar =
        new ProcessBuilder("tar", "-tvzf", System.getProperty("lanthorn.tarball"))
            .redirectErrorStream(true)
            .start();
    String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tar.waitFor()).isZero();

    String base = "lanthorn-" + VERSION + "/";
    assertThat(listing)
        .containsPattern("drwxr-xr-x .* " + base + "lib/\n")
        .containsPattern("drwxr-xr-x .* " + base + "plugins/\n")
        .containsPattern("-rwxr-xr-x .* " + base + "bin/lanthorn\n")
        .containsPattern("-rw-r--r-- .* " + base + "conf/lanthorn.conf\n")
        .containsPattern("-rw-r--r-- .* " + base + "lib/lanthorn-launcher-" + VERSION + ".jar\n")
        .containsPattern("-rw-r--r-- .* " + base + "lib/lanthorn-api-" + VERSION + ".jar\n")
        .containsPattern(
            "-rw-r--r-- .* " + base + "plugins/sink-jsonl/jackson-core-[0-9.]+\\.jar\n");
    for (String plugin :
        List.of(
            "probe-tcp",
            "probe-dns",
            "probe-udp",
            "enricher-docker",
            "enricher-threat",
            "sink-sqlite",
            "sink-jsonl")) {
      assertThat(listing)
          .containsPattern("drwxr-xr-x .* " + base + "plugins/" + plugin + "/\n")
          .containsPattern(
              "-rw-r--r-- .* "
                  + base
                  + "plugins/"
                  + plugin
                  + "/lanthorn-"
                  + plugin
                  + "-"
                  + VERSION
                  + ".jar\n");
    }
    // Every directory has its own entry, so unpacking under any umask gives these modes; nothing
    // is group- or world-writable; plugins ship without what the launcher provides.
    assertThat(listing.lines()).noneMatch(line -> line.charAt(5) == 'w' || line.charAt(8) == 'w');
    assertThat(listing).doesNotContainPattern("plugins/[^/]+/(lanthorn-api|config|slf4j-api)-");
    assertThat(listing).doesNotContainPattern("lib/jackson");
  }

  @Test
  void theJsonLinesPluginRecordsEveryEventAndDrainsOnSigterm() throws Exception {
    // The real sink-jsonl fed by a source built here, alone: the core plugins removed.
    Installation installation = Installation.copyTo(work.resolve("lanthorn"));
    for (String plugin :
        List.of(
            "probe-tcp",
            "probe-dns",
            "probe-udp",
            "enricher-docker",
            "enricher-threat",
            "sink-sqlite")) {
      installation.removePlugin(plugin);
    }
    TestPlugins.source(installation.plugins(), "test-source");
    Path events = work.resolve("out/events.jsonl");

    try (Agent agent =
        Agent.of(installation)
            .logsIn(work.resolve("logs"))
            .env("CONFIG_FORCE_sink__jsonl_enabled", "true")
            .env("CONFIG_FORCE_sink__jsonl_path", events.toString())
            .env("CONFIG_FORCE_test__source_count", "1000")
            .env("CONFIG_FORCE_test__source_pending", "5")
            .env("CONFIG_FORCE_test__source_lost", "2")
            .start("run")) {
      await().atMost(Agent.PATIENCE).until(() -> Files.exists(events) && lineCount(events) == 1000);
      assertThat(agent.stop()).as(agent.stderr()).isEqualTo(Agent.EXIT_SIGTERM);

      List<JsonNode> lines = new ArrayList<>();
      for (String line : Files.readAllLines(events)) {
        lines.add(MAPPER.readTree(line));
      }
      assertThat(lines).hasSize(1005);
      assertThat(lines.subList(0, 1000))
          .allMatch(n -> n.get("lanthorn.connect.outcome").asText().equals("established"));
      assertThat(lines.subList(1000, 1005))
          .allMatch(n -> n.get("lanthorn.connect.outcome").asText().equals("pending"));
      JsonNode first = lines.getFirst();
      assertThat(first.get("server.address").asText()).isEqualTo("127.0.0.1");
      assertThat(first.get("server.port").asInt()).isEqualTo(1);
      assertThat(first.get("process.executable.name").asText()).isEqualTo("test");
      assertThat(first.get("attributes").isObject()).isTrue();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(events)))
          .isEqualTo("rw-------");
      assertThat(agent.stderr())
          .contains(
              "pipeline running: sources [test-source], enrichers [], sinks [sink-jsonl, web]")
          .contains(
              "final: received=1005 enriched=1005 queued=0 lost_at_source=2 (test_lost=2)"
                  + " dropped=0 | sink-jsonl written=1005 failed=0 queued=0");
    }
  }

  private static long lineCount(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
