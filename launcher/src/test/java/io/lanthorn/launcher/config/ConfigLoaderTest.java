package io.lanthorn.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.lanthorn.launcher.ExitCodes;
import io.lanthorn.launcher.LauncherException;
import io.lanthorn.launcher.TestPlugins;
import io.lanthorn.launcher.plugin.PluginCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final Config NO_ENV = ConfigFactory.empty();

  @TempDir static Path plugins;
  @TempDir Path dir;
  private static PluginCatalog catalog;

  @BeforeAll
  static void buildPlugins() {
    TestPlugins.source(plugins, "probe-tcp");
    TestPlugins.recordingSink(
        plugins, "sink-off", "enabled = false\nfile = \"/dev/null\"\nlabels {}");
    catalog = PluginCatalog.discover(plugins);
  }

  @AfterAll
  static void closeCatalog() {
    catalog.close();
  }

  private EffectiveConfig load(String user, Config env, FlagOverride... flags) throws Exception {
    Path file = null;
    if (user != null) {
      file = dir.resolve("lanthorn.conf");
      Files.writeString(file, user);
    }
    return new ConfigLoader(ConfigLoaderTest.class.getClassLoader(), env)
        .load(catalog, file, List.of(flags));
  }

  private static Config env(String path, String value) {
    // Typesafe's systemEnvironmentOverrides() gives strings with this origin.
    return ConfigFactory.parseMap(Map.of(path, value), "env variables overrides");
  }

  private void assertRejected(String user, Config env, String message) {
    assertThatThrownBy(() -> load(user, env))
        .isInstanceOfSatisfying(
            LauncherException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIG))
        .hasMessage(message.replace("FILE", dir.resolve("lanthorn.conf").toString()));
  }

  @Test
  void defaultsComeFromTheReferencesAndPluginsGetTheirSectionWithoutEnabled() throws Exception {
    EffectiveConfig config = load(null, NO_ENV);

    assertThat(config.launcher().getInt("pipeline.max-batch-size")).isEqualTo(1024);
    assertThat(config.section("probe-tcp").getInt("count")).isEqualTo(10);
    assertThat(config.section("probe-tcp").hasPath("enabled")).isFalse();
    assertThat(config.root().hasPath("sink-off.file")).isTrue();
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void anUnknownKeyIsRejectedWithItsFullPathAndWhatIsAccepted() {
    assertRejected(
        "probe-tcp {\n  cout = 3\n}\n",
        NO_ENV,
        "configuration: unknown key probe-tcp.cout (FILE: 2); probe-tcp accepts: count, enabled,"
            + " fail, lifecycle, lost, pending");
    assertRejected(
        "lanthorn.pipeline.queue-capacityy = 3",
        NO_ENV,
        "configuration: unknown key lanthorn.pipeline.queue-capacityy (FILE: 1); lanthorn.pipeline"
            + " accepts: flush-interval, max-batch-size, overflow, queue-capacity,"
            + " sink-queue-capacity");
  }

  @Test
  void aWrongTypeIsRejectedWithItsPathAndOrigin() {
    assertRejected(
        "lanthorn.pipeline.max-batch-size = lots",
        NO_ENV,
        "configuration: lanthorn.pipeline.max-batch-size must be a number, but FILE: 1 sets it to"
            + " \"lots\"");
    assertRejected(
        "lanthorn.pipeline.flush-interval = soon",
        NO_ENV,
        "configuration: lanthorn.pipeline.flush-interval must be a duration like 100ms (units: ms,"
            + " s, m, h, d), but FILE: 1 sets it to \"soon\"");
    assertRejected(
        "probe-tcp.count { a = 1 }",
        NO_ENV,
        "configuration: probe-tcp.count must be a number, but FILE: 1 sets it to {\"a\":1}");
    assertRejected(
        "lanthorn.enrichers.order = enricher-docker",
        NO_ENV,
        "configuration: lanthorn.enrichers.order must be a list [ ... ], but FILE: 1 sets it to"
            + " \"enricher-docker\"");
    assertRejected(
        "probe-tcp.enabled = maybe",
        NO_ENV,
        "configuration: probe-tcp.enabled must be true or false, but FILE: 1 sets it to"
            + " \"maybe\"");
  }

  @Test
  void environmentOverridesAreStringsThatMustReadAsTheReferenceType() throws Exception {
    assertThat(load(null, env("probe-tcp.count", "42")).section("probe-tcp").getInt("count"))
        .isEqualTo(42);
    assertRejected(
        null,
        env("probe-tcp.count", "many"),
        "configuration: probe-tcp.count must be a number, but an environment override sets it to"
            + " \"many\"");
    assertRejected(
        null,
        env("probe-tcp.cnt", "1"),
        "configuration: unknown key probe-tcp.cnt (an environment override); probe-tcp accepts:"
            + " count, enabled, fail, lifecycle, lost, pending");
  }

  @Test
  void flagsBeatTheEnvironmentWhichBeatsTheFileWhichBeatsTheReference() throws Exception {
    String user = "probe-tcp.count = 1\nprobe-tcp.lost = 1\nprobe-tcp.pending = 1";
    Config env = env("probe-tcp.lost", "2").withFallback(env("probe-tcp.pending", "2"));
    EffectiveConfig config = load(user, env, new FlagOverride("probe-tcp.pending", 3, "--flag"));

    Config section = config.section("probe-tcp");
    assertThat(section.getInt("count")).isEqualTo(1);
    assertThat(section.getInt("lost")).isEqualTo(2);
    assertThat(section.getInt("pending")).isEqualTo(3);
  }

  @Test
  void enabledComesFromThePluginDefaultOrWhicheverLayerSetsIt() throws Exception {
    EffectiveConfig defaults = load(null, NO_ENV);
    assertThat(defaults.enablement("sink-off")).isEqualTo(new Enablement(false, "plugin default"));
    assertThat(defaults.enablement("probe-tcp")).isEqualTo(new Enablement(true, "default"));

    EffectiveConfig flagged =
        load(
            "sink-off {\n  enabled = true\n}",
            NO_ENV,
            new FlagOverride("probe-tcp.enabled", false, "--disable-tcp-mon"));
    assertThat(flagged.enablement("probe-tcp"))
        .isEqualTo(new Enablement(false, "--disable-tcp-mon"));
    assertThat(flagged.enablement("sink-off").enabled()).isTrue();
    assertThat(flagged.enablement("sink-off").decidedBy())
        .isEqualTo(dir.resolve("lanthorn.conf") + ": 2");

    assertThat(load(null, env("probe-tcp.enabled", "false")).enablement("probe-tcp"))
        .isEqualTo(new Enablement(false, "environment override"));
  }

  @Test
  void aSectionForAPluginThatIsNotInstalledOnlyWarns() throws Exception {
    EffectiveConfig config = load("sink-sqlite {\n  path = /tmp/x.db\n}", NO_ENV);

    assertThat(config.warnings())
        .containsExactly(
            "configuration: section sink-sqlite ("
                + dir.resolve("lanthorn.conf")
                + ": 1) is for a plugin that is not installed: ignored");
  }

  @Test
  void anEmptyObjectInTheReferenceHoldsFreeFormKeys() throws Exception {
    EffectiveConfig config = load("sink-off.labels { team = net, tier = 1 }", NO_ENV);

    assertThat(config.section("sink-off").getString("labels.team")).isEqualTo("net");
  }

  @Test
  void fileProblemsAreConfigurationErrors() {
    assertThatThrownBy(
            () ->
                new ConfigLoader(getClass().getClassLoader(), NO_ENV)
                    .load(catalog, dir.resolve("missing.conf"), List.of()))
        .isInstanceOfSatisfying(
            LauncherException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIG))
        .hasMessage(
            "configuration: "
                + dir.resolve("missing.conf")
                + " does not exist or is not a file: check --config");
    assertThatThrownBy(() -> load("lanthorn {", NO_ENV))
        .isInstanceOf(LauncherException.class)
        .hasMessageStartingWith("configuration: " + dir.resolve("lanthorn.conf") + ": 1:");
    assertRejected(
        "verbose = true",
        NO_ENV,
        "configuration: unknown key verbose (FILE: 1): top-level keys are lanthorn and plugin"
            + " sections");
  }
}
