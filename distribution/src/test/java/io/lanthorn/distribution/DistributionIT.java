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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged distribution, run as a user would: {@code bin/lanthorn} from the unpacked tree, the
 * real sink-jsonl plugin folder, and a source plugin built at test time.
 */
class DistributionIT {
  private static final Path DIST = Path.of(System.getProperty("lanthorn.dist"));
  private static final String VERSION = System.getProperty("lanthorn.version");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path work;

  private record Result(int exitCode, String out, String err) {}

  private Process start(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(DIST.resolve("bin/lanthorn").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(work.resolve("stdout.txt").toFile())
            .redirectError(work.resolve("stderr.txt").toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  private Result finish(Process process) throws Exception {
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("lanthorn exits").isTrue();
    return new Result(
        process.exitValue(),
        Files.readString(work.resolve("stdout.txt")),
        Files.readString(work.resolve("stderr.txt")));
  }

  private Result lanthorn(String... args) throws Exception {
    return finish(start(Map.of(), args));
  }

  @Test
  void versionAndHelpWork() throws Exception {
    Result version = lanthorn("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("lanthorn " + VERSION + "\n");

    Result help = lanthorn("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Usage: lanthorn").contains("plugins");
  }

  @Test
  void pluginsListsTheShippedPluginsAndForgetsARemovedOne() throws Exception {
    Result listed = lanthorn("plugins");
    assertThat(listed.exitCode()).isZero();
    assertThat(listed.out())
        .containsPattern(
            "sink +sink-jsonl +disabled \\(plugin default\\) +"
                + DIST.resolve("plugins/sink-jsonl"));

    Path plugins = copyOfShippedPlugins();
    deleteTree(plugins.resolve("sink-jsonl"));
    Result after = lanthorn("plugins", "--plugins", plugins.toString());
    assertThat(after.exitCode()).isZero();
    assertThat(after.out()).doesNotContain("sink-jsonl");
  }

  @Test
  void runWithoutASourceSaysNothingCanBeMonitored() throws Exception {
    Result run = lanthorn("run");

    assertThat(run.exitCode()).isEqualTo(5);
    assertThat(run.err())
        .contains(
            "lanthorn: no event source is installed or enabled: nothing can be monitored (plugins"
                + " dir: "
                + DIST.resolve("plugins"));
  }

  @Test
  void theShippedConfigurationUncommentedIsValid() throws Exception {
    String uncommented =
        Files.readString(DIST.resolve("conf/lanthorn.conf"))
            .lines()
            .map(line -> line.startsWith("#") && !line.startsWith("# ") ? line.substring(1) : line)
            .reduce("", (a, b) -> a + b + "\n");
    Path file = Files.writeString(work.resolve("uncommented.conf"), uncommented);

    Result listed = lanthorn("plugins", "--config", file.toString());

    assertThat(listed.exitCode()).as(listed.err()).isZero();
    assertThat(listed.err()).isEmpty();
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
        .containsPattern("drwxr-xr-x .* " + base + "plugins/sink-jsonl/\n")
        .containsPattern("-rwxr-xr-x .* " + base + "bin/lanthorn\n")
        .containsPattern("-rw-r--r-- .* " + base + "conf/lanthorn.conf\n")
        .containsPattern("-rw-r--r-- .* " + base + "lib/lanthorn-launcher-" + VERSION + ".jar\n")
        .containsPattern("-rw-r--r-- .* " + base + "lib/lanthorn-api-" + VERSION + ".jar\n")
        .containsPattern(
            "-rw-r--r-- .* "
                + base
                + "plugins/sink-jsonl/lanthorn-sink-jsonl-"
                + VERSION
                + ".jar\n")
        .containsPattern(
            "-rw-r--r-- .* " + base + "plugins/sink-jsonl/jackson-core-[0-9.]+\\.jar\n");
    // Every directory has its own entry, so unpacking under any umask gives these modes; nothing
    // is group- or world-writable; the plugin ships without what the launcher provides.
    assertThat(listing.lines()).noneMatch(line -> line.charAt(5) == 'w' || line.charAt(8) == 'w');
    assertThat(listing).doesNotContainPattern("plugins/sink-jsonl/(lanthorn-api|config|slf4j)");
    assertThat(listing).doesNotContainPattern("lib/jackson");
  }

  @Test
  void theJsonLinesPluginRecordsEveryEventAndDrainsOnSigterm() throws Exception {
    Path plugins = copyOfShippedPlugins();
    TestPlugins.source(plugins, "probe-tcp");
    Path events = work.resolve("out/events.jsonl");
    Map<String, String> env =
        Map.of(
            "CONFIG_FORCE_sink__jsonl_enabled", "true",
            "CONFIG_FORCE_sink__jsonl_path", events.toString(),
            "CONFIG_FORCE_probe__tcp_count", "1000",
            "CONFIG_FORCE_probe__tcp_pending", "5",
            "CONFIG_FORCE_probe__tcp_lost", "2");

    Process agent = start(env, "run", "--plugins", plugins.toString());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.exists(events) && lineCount(events) == 1000);
    agent.destroy(); // SIGTERM
    Result run = finish(agent);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(143);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(events)) {
      lines.add(MAPPER.readTree(line));
    }
    assertThat(lines).hasSize(1005);
    assertThat(lines.subList(0, 1000))
        .allMatch(n -> n.get("outcome").asText().equals("established"));
    assertThat(lines.subList(1000, 1005))
        .allMatch(n -> n.get("outcome").asText().equals("pending"));
    JsonNode first = lines.getFirst();
    assertThat(first.get("destination_address").asText()).isEqualTo("127.0.0.1");
    assertThat(first.get("destination_port").asInt()).isEqualTo(1);
    assertThat(first.get("comm").asText()).isEqualTo("test");
    assertThat(first.get("attributes").isObject()).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(events)))
        .isEqualTo("rw-------");
    assertThat(run.err())
        .contains("pipeline running: sources [probe-tcp], enrichers [], sinks [sink-jsonl]")
        .contains(
            "final: received=1005 enriched=1005 queued=0 lost_at_source=2 (test_lost=2) dropped=0"
                + " | sink-jsonl written=1005 failed=0 queued=0");
  }

  private Path copyOfShippedPlugins() throws IOException {
    Path plugins = Files.createDirectories(work.resolve("plugins"));
    Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (Stream<Path> walk = Files.walk(DIST.resolve("plugins"))) {
      for (Path source : walk.toList()) {
        Path target = plugins.resolve(DIST.resolve("plugins").relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    return plugins;
  }

  private static long lineCount(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
