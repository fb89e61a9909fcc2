package io.lanthorn.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path plugins;
  @TempDir Path work;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final TestStopSignal stop = new TestStopSignal();

  private int lanthorn(Config env, String... args) {
    Launch launch =
        new Launch(
            null,
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            stop);
    // Launcher options go before the command: a plugin command's arguments are all its own.
    List<String> all = new ArrayList<>(List.of("--plugins", plugins.toString()));
    all.addAll(List.of(args));
    return Main.execute(all.toArray(String[]::new), launch);
  }

  private int lanthorn(String... args) {
    return lanthorn(ConfigFactory.empty(), args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static Config env(String path, Object value) {
    return ConfigFactory.parseMap(Map.of(path, value), "env variables overrides");
  }

  private Path recordFile() {
    return work.resolve("recorded.txt");
  }

  private Config recording() {
    return env("sink-rec.file", recordFile().toString());
  }

  @Test
  void helpListsTheCommandsAndFlagsTheInstalledPluginsDeclare() throws Exception {
    TestPlugins.command(plugins, "sink-hello", "hello");
    TestPlugins.source(plugins, "probe-tcp");

    assertThat(lanthorn("--help")).isZero();

    assertThat(out())
        .contains("Usage: lanthorn")
        .containsPattern("--disable-tcp-mon\\s+no capture \\(sets probe-tcp.enabled = false\\)")
        .containsPattern("--greeting=TEXT\\s+what to say \\(sets sink-hello.greeting\\)")
        .containsPattern("run\\s+Run the agent")
        .containsPattern("plugins\\s+List every plugin")
        .containsPattern("hello\\s+Says hello from sink-hello.")
        // No flag of a plugin that is not installed.
        .doesNotContain("--db-path");

    // Removing the plugin removes its flags.
    try (var walk = Files.walk(plugins.resolve("probe-tcp"))) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
    out.reset();
    assertThat(lanthorn("--help")).isZero();
    assertThat(out()).contains("--greeting").doesNotContain("--disable-tcp-mon");
    assertThat(lanthorn("--disable-tcp-mon")).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void aFlagSeveralPluginsDeclareSetsEachOnesKey() throws Exception {
    TestPlugins.source(plugins, "probe-tcp");
    TestPlugins.source(plugins, "probe-other");
    TestPlugins.recordingSink(plugins, "sink-rec");

    assertThat(lanthorn("plugins", "--disable-tcp-mon")).isZero();

    assertThat(out())
        .containsPattern("source +probe-other +disabled \\(--disable-tcp-mon\\)")
        .containsPattern("source +probe-tcp +disabled \\(--disable-tcp-mon\\)")
        .contains(
            "    flags: --disable-tcp-mon (sets probe-tcp.enabled), --test-count N (sets"
                + " probe-tcp.count)");
  }

  @Test
  void versionNamesTheBuild() {
    assertThat(lanthorn("--version")).isZero();
    assertThat(out()).startsWith("lanthorn 0.1.0-SNAPSHOT").contains("Java 25");
  }

  @Test
  void pluginsListsEveryServiceWithItsStateAndWhatDecidedIt() {
    TestPlugins.source(plugins, "probe-tcp");
    TestPlugins.recordingSink(plugins, "sink-rec");
    TestPlugins.recordingSink(plugins, "sink-off", "enabled = false\nfile = \"/dev/null\"");
    TestPlugins.taggingEnricher(plugins, "tagger");
    TestPlugins.command(plugins, "sink-hello", "hello");

    assertThat(lanthorn("plugins", "--disable-tcp-mon")).isZero();

    assertThat(out().lines())
        .first()
        .satisfies(header -> assertThat(header).startsWith("KIND").contains("STATE"));
    assertThat(out())
        .containsPattern(
            "source +probe-tcp +disabled \\(--disable-tcp-mon\\) +" + plugins.resolve("probe-tcp"))
        .containsPattern("enricher +tagger +enabled +" + plugins.resolve("tagger"))
        .containsPattern("sink +sink-off +disabled \\(plugin default\\) +")
        .containsPattern("sink +sink-rec +enabled +")
        .containsPattern("command +sink-hello +available +" + plugins.resolve("sink-hello"))
        .contains("    flags: --greeting TEXT (sets sink-hello.greeting)")
        .contains("    commands: hello");
  }

  @Test
  void runWithoutAnySourceSaysNothingCanBeMonitoredAndExits5() {
    TestPlugins.recordingSink(plugins, "sink-rec");

    assertThat(lanthorn("run")).isEqualTo(ExitCodes.NOTHING_TO_RUN);

    assertThat(err())
        .isEqualTo(
            "lanthorn: no event source is installed or enabled: nothing can be monitored (plugins"
                + " dir: "
                + plugins
                + ")\n");
  }

  @Test
  void runWithTheOnlySourceDisabledSaysWhichFlagDisabledIt() {
    TestPlugins.source(plugins, "probe-tcp");
    TestPlugins.recordingSink(plugins, "sink-rec");

    assertThat(lanthorn("--disable-tcp-mon")).isEqualTo(ExitCodes.NOTHING_TO_RUN);

    assertThat(err())
        .contains("nothing can be monitored")
        .contains("installed but disabled: probe-tcp (disabled by --disable-tcp-mon)");
  }

  @Test
  void runWithoutAnEnabledSinkExits5() {
    TestPlugins.source(plugins, "probe-tcp");
    TestPlugins.recordingSink(plugins, "sink-off", "enabled = false\nfile = \"/dev/null\"");

    assertThat(lanthorn("run")).isEqualTo(ExitCodes.NOTHING_TO_RUN);

    assertThat(err())
        .startsWith("lanthorn: no sink is installed or enabled: events would have nowhere to go")
        .contains("installed but disabled: sink-off (disabled by plugin default)");
  }

  @Test
  void aSourceThatFailsToStartIsFatalNamedAndEverythingStartedIsClosed() throws Exception {
    TestPlugins.source(plugins, "probe-tcp");
    TestPlugins.recordingSink(plugins, "sink-rec");

    int code =
        lanthorn(
            env("probe-tcp.fail", "cannot attach: missing CAP_BPF").withFallback(recording()),
            "run");

    assertThat(code).isEqualTo(ExitCodes.FAILURE);
    assertThat(err())
        .isEqualTo(
            "lanthorn: source probe-tcp failed to start: cannot attach: missing CAP_BPF (to run"
                + " without it: set probe-tcp.enabled = false, or remove "
                + plugins.resolve("probe-tcp")
                + ")\n");
    assertThat(Files.readAllLines(recordFile())).containsExactly("closed");
    assertThat(stop.stopped.getCount()).isZero();
  }

  @Test
  void aPluginCommandGetsItsSectionAndItsArgumentsUntouchedWithItsLoaderAsContext() {
    TestPlugins.command(plugins, "sink-hello", "hello");

    int code = lanthorn(env("sink-hello.greeting", "hi"), "hello", "a", "--help", "--", "-x");

    assertThat(code).isEqualTo(7);
    assertThat(out().lines())
        .containsExactly(
            "greeting=hi",
            "args=[a, --help, --, -x]",
            "tccl-is-plugin=true",
            "sees-enabled=false",
            "host=" + HostName.get());
  }

  @Test
  void hostNameSetsTheHostEveryPluginContextReports() {
    TestPlugins.command(plugins, "sink-hello", "hello");

    assertThat(lanthorn("--host-name", "web-1", "hello")).isEqualTo(7);
    assertThat(out().lines()).contains("host=web-1");
  }

  @Test
  void anEmptyHostNameIsAUsageErrorOnOneLine() {
    TestPlugins.command(plugins, "sink-hello", "hello");

    assertThat(lanthorn("--host-name", " ", "hello")).isEqualTo(ExitCodes.USAGE);
    assertThat(err())
        .isEqualTo(
            "lanthorn: --host-name is empty: give this host's name, or leave the option out\n");
  }

  @Test
  void aPluginCommandTakesItsPluginsFlagsBeforeOrAfterItsName() {
    TestPlugins.command(plugins, "sink-hello", "hello");

    assertThat(lanthorn("hello", "a", "--greeting", "after", "b")).isEqualTo(7);
    assertThat(out().lines()).contains("greeting=after", "args=[a, b]");

    out.reset();
    assertThat(lanthorn("--greeting", "before", "hello", "--greeting=later")).isEqualTo(7);
    assertThat(out().lines()).contains("greeting=later", "args=[]");
  }

  @Test
  void aBadOptionIsAUsageErrorOnOneLine() {
    assertThat(lanthorn("--no-such-option")).isEqualTo(ExitCodes.USAGE);
    assertThat(err())
        .isEqualTo("lanthorn: Unknown option: '--no-such-option' (see lanthorn --help)\n");
  }

  @Test
  void aBadConfigurationFileExits3() throws Exception {
    TestPlugins.source(plugins, "probe-tcp");
    Path file = Files.writeString(work.resolve("lanthorn.conf"), "probe-tcp.colour = blue\n");

    assertThat(lanthorn("run", "--config", file.toString())).isEqualTo(ExitCodes.CONFIG);
    assertThat(err())
        .startsWith("lanthorn: configuration: unknown key probe-tcp.colour (" + file + ": 1)");
  }

  @Test
  void anUnsafePluginsDirectoryStopsRunButNotHelp() throws Exception {
    TestPlugins.source(plugins, "probe-tcp");
    Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThat(lanthorn("--help")).isZero();
    assertThat(lanthorn("plugins")).isEqualTo(ExitCodes.PLUGINS);
    assertThat(err()).contains("is writable by group or others").contains("chmod -R go-w");
  }

  @Test
  void runDeliversEverythingIncludingInFlightEventsBeforeExiting() throws Exception {
    TestPlugins.source(plugins, "probe-tcp");
    TestPlugins.recordingSink(plugins, "sink-rec");
    TestPlugins.taggingEnricher(plugins, "tagger");
    Config env =
        recording()
            .withFallback(env("probe-tcp.count", "250"))
            .withFallback(env("probe-tcp.pending", "7"));

    FutureTask<Integer> run = new FutureTask<>(() -> lanthorn(env));
    Thread.ofPlatform().start(run);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.exists(recordFile()) && Files.readAllLines(recordFile()).size() == 250);
    stop.request.countDown();

    assertThat(result(run)).isZero();
    List<String> lines = Files.readAllLines(recordFile());
    assertThat(lines).hasSize(258).last().isEqualTo("closed");
    assertThat(lines.subList(0, 250)).allMatch(line -> line.endsWith(" established tagger"));
    assertThat(lines.subList(250, 257)).allMatch(line -> line.endsWith(" pending tagger"));
  }

  @Test
  void eventsASourceEmitsBeforeTheSinkAndEnricherHaveStartedAreAllDeliveredAndEnriched()
      throws Exception {
    TestPlugins.source(plugins, "probe-tcp");
    TestPlugins.recordingSink(plugins, "sink-rec");
    TestPlugins.taggingEnricher(plugins, "tagger");
    // The sink's and the enricher's starts return only once the source has emitted everything.
    Config env =
        recording()
            .withFallback(env("probe-tcp.count", "500"))
            .withFallback(env("sink-rec.start-wait-received", "500"))
            .withFallback(env("tagger.start-wait-received", "500"));

    FutureTask<Integer> run = new FutureTask<>(() -> lanthorn(env));
    Thread.ofPlatform().start(run);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.exists(recordFile()) && Files.readAllLines(recordFile()).size() == 500);
    stop.request.countDown();

    assertThat(result(run)).isZero();
    List<String> lines = Files.readAllLines(recordFile());
    assertThat(lines).hasSize(501).last().isEqualTo("closed");
    assertThat(lines.subList(0, 500)).allMatch(line -> line.endsWith(" established tagger"));
  }

  @Test
  void aSinkFailingWhileTheSourceWaitsOnAFullPipelineClosesEverythingAndIsNamed() throws Exception {
    TestPlugins.source(plugins, "probe-tcp");
    TestPlugins.recordingSink(plugins, "sink-rec");
    TestPlugins.recordingSink(plugins, "sink-bad");
    TestPlugins.taggingEnricher(plugins, "tagger");
    Path lifecycle = work.resolve("source-lifecycle.txt");
    // The source emits batches of 100 into a hand-off of 100: once 200 were received, it waits
    // for room that only a started pipeline would make. Then sink-bad fails.
    Config env =
        recording()
            .withFallback(env("lanthorn.pipeline.queue-capacity", "100"))
            .withFallback(env("probe-tcp.count", "1000"))
            .withFallback(env("probe-tcp.lifecycle", lifecycle.toString()))
            .withFallback(env("sink-bad.start-wait-received", "200"))
            .withFallback(env("sink-bad.fail", "database is locked"));

    // Run apart, so that a stop waiting forever for the blocked source fails the test.
    FutureTask<Integer> run = new FutureTask<>(() -> lanthorn(env, "run"));
    Thread.ofPlatform().daemon().start(run);

    assertThat(result(run)).isEqualTo(ExitCodes.FAILURE);
    assertThat(err())
        .endsWith(
            "lanthorn: sink sink-bad failed to start: database is locked (to run without it: set"
                + " sink-bad.enabled = false, or remove "
                + plugins.resolve("sink-bad")
                + ")\n");
    assertThat(Files.readAllLines(lifecycle)).containsExactly("started", "stopped", "closed");
    // The sink that started was closed without receiving anything.
    assertThat(Files.readAllLines(recordFile())).containsExactly("closed");
    assertThat(stop.stopped.getCount()).isZero();
  }

  private static int result(Future<Integer> run) throws Exception {
    return run.get(60, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Stands in for SIGTERM: the test decides when the agent should stop. */
  private static final class TestStopSignal implements StopSignal {
    final CountDownLatch request = new CountDownLatch(1);
    final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public void arm(Duration drainTimeout) {}

    @Override
    public void awaitStopRequest() throws InterruptedException {
      request.await();
    }

    @Override
    public void stopped() {
      stopped.countDown();
    }
  }
}
