package io.lanthorn.launcher.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.ApiVersion;
import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Enricher;
import io.lanthorn.api.Event;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.PluginKind;
import io.lanthorn.launcher.ExitCodes;
import io.lanthorn.launcher.LauncherException;
import io.lanthorn.launcher.TestPluginBuilder;
import io.lanthorn.launcher.TestPlugins;
import java.net.InetAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginCatalogTest {
  private static final AttributeKey<String> LIB = AttributeKey.stringKey("test.lib");
  private static final AttributeKey<String> SEES = AttributeKey.stringKey("test.sees");

  @TempDir Path plugins;

  private static PluginCatalog discover(Path dir) {
    return PluginCatalog.discover(dir);
  }

  private static ConnectionEvent event() {
    return ConnectionEvent.builder()
        .family(AddressFamily.INET)
        .sourceAddress(InetAddress.getLoopbackAddress())
        .destinationAddress(InetAddress.getLoopbackAddress())
        .destinationPort(80)
        .comm("test")
        .outcome(Outcome.ESTABLISHED)
        .build();
  }

  @Test
  void findsServicesInPluginFoldersAndSingleJars() {
    TestPlugins.source(plugins, "probe-test");
    TestPlugins.recordingSink(plugins, "sink-test");
    Path single = TestPlugins.taggingEnricher(plugins.resolve("tmp"), "tagger");
    moveTo(single, plugins.resolve("tagger.jar"));

    try (PluginCatalog catalog = discover(plugins)) {
      assertThat(catalog.plugins())
          .extracting(p -> p.kindLabel() + ":" + p.name() + ":" + p.location().name())
          .containsExactlyInAnyOrder(
              "source:probe-test:probe-test", "sink:sink-test:sink-test", "enricher:tagger:tagger");
      assertThat(catalog.plugins(PluginKind.ENRICHER).getFirst().location().path())
          .isEqualTo(plugins.resolve("tagger.jar"));
    }
  }

  @Test
  void twoPluginsCarryingDifferentVersionsOfOneLibraryEachUseTheirOwn() throws Exception {
    versionedPlugin("iso-one", "1.0");
    versionedPlugin("iso-two", "2.0");

    try (PluginCatalog catalog = discover(plugins)) {
      List<Event> results = new java.util.ArrayList<>();
      for (InstalledPlugin plugin : catalog.plugins(PluginKind.ENRICHER)) {
        try (Enricher enricher = (Enricher) plugin.factory().create(null)) {
          results.add(enricher.enrich(event()));
        }
      }

      assertThat(results).extracting(e -> e.attribute(LIB)).containsExactly("1.0", "2.0");
      // Neither sees the launcher's own dependencies, nor its reference.conf.
      assertThat(results).extracting(e -> e.attribute(SEES)).containsOnly("nothing");
    }
  }

  @Test
  void aPluginLoaderReadsReferenceConfOnlyFromThePluginsOwnJars() throws Exception {
    TestPlugins.recordingSink(plugins, "sink-test");
    try (PluginCatalog catalog = discover(plugins)) {
      PluginClassLoader loader = catalog.plugins().getFirst().loader();
      List<URL> found = Collections.list(loader.getResources("reference.conf"));
      assertThat(found).hasSize(1);
      assertThat(found.getFirst().toString()).contains("sink-test.jar");
      // Shared packages come from the launcher: the same Class, so the API types match.
      assertThat(loader.loadClass("io.lanthorn.api.Sink")).isSameAs(io.lanthorn.api.Sink.class);
    }
  }

  @Test
  void aRemovedPluginIsNoLongerLoaded() throws Exception {
    TestPlugins.recordingSink(plugins, "sink-a");
    TestPlugins.recordingSink(plugins, "sink-b");
    try (PluginCatalog before = discover(plugins)) {
      assertThat(before.plugins()).extracting(InstalledPlugin::name).contains("sink-a", "sink-b");
    }

    deleteTree(plugins.resolve("sink-b"));

    try (PluginCatalog after = discover(plugins)) {
      assertThat(after.plugins()).extracting(InstalledPlugin::name).containsExactly("sink-a");
    }
  }

  @Test
  void aBrokenJarIsReportedNamingThePluginAndTheJar() throws Exception {
    TestPlugins.recordingSink(plugins, "sink-ok");
    Path broken =
        Files.createDirectories(plugins.resolve("sink-broken")).resolve("sink-broken.jar");
    Files.writeString(broken, "this is not a zip file");

    assertThatThrownBy(() -> discover(plugins))
        .isInstanceOfSatisfying(
            LauncherException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.PLUGINS))
        .hasMessageStartingWith("plugin sink-broken: " + broken + " is not a readable jar")
        .hasMessageEndingWith("reinstall the plugin or remove it");
  }

  @Test
  void aServiceFileNamingAMissingClassIsReportedNamingThePlugin() {
    new TestPluginBuilder()
        .factory("test.Missing")
        .writeJar(plugins.resolve("sink-missing").resolve("sink-missing.jar"));

    assertThatThrownBy(() -> discover(plugins))
        .isInstanceOf(LauncherException.class)
        .hasMessageStartingWith("plugin sink-missing: cannot load its factory from")
        .hasMessageContaining("test.Missing");
  }

  @Test
  void aPluginBuiltAgainstAnIncompatibleApiIsRefusedInOneLineNamingBothVersions() {
    versioned("sink-future", "3.0");

    assertThatThrownBy(() -> discover(plugins))
        .isInstanceOfSatisfying(
            LauncherException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.PLUGINS))
        .hasMessage(
            "plugin sink-future was built against lanthorn api 3.0, but this agent runs api "
                + ApiVersion.CURRENT
                + ": install a version of the plugin built against lanthorn-api "
                + ApiVersion.MAJOR
                + ".x, or remove "
                + plugins.resolve("sink-future"));
  }

  @Test
  void aPluginBuiltAgainstANewerMinorVersionIsRefusedAndAnOlderOneAccepted() {
    versioned("sink-newer", ApiVersion.MAJOR + "." + (ApiVersion.MINOR + 1));
    assertThatThrownBy(() -> discover(plugins))
        .hasMessageStartingWith("plugin sink-newer was built against lanthorn api ")
        .hasMessageNotContaining("\n");
    deleteTree(plugins.resolve("sink-newer"));

    versioned("sink-older", ApiVersion.MAJOR + ".0");
    try (PluginCatalog catalog = discover(plugins)) {
      assertThat(catalog.plugins()).extracting(InstalledPlugin::name).containsExactly("sink-older");
    }
  }

  @Test
  void aPluginOfTheFirstApiWithoutAFactoryIsRefusedAsApi1() {
    new TestPluginBuilder()
        .service(io.lanthorn.api.Sink.class, "test.OldSink")
        .writeJar(plugins.resolve("sink-old").resolve("sink-old.jar"));

    assertThatThrownBy(() -> discover(plugins))
        .isInstanceOf(LauncherException.class)
        .hasMessageStartingWith(
            "plugin sink-old was built against lanthorn api 1 (it registers"
                + " io.lanthorn.api.Sink, not a PluginFactory), but this agent runs api "
                + ApiVersion.CURRENT);
  }

  @Test
  void twoPluginsDeclaringOneFlagDifferentlyAreRefused() {
    TestPlugins.source(plugins, "probe-test");
    new TestPluginBuilder()
        .source(
            "test.clash.Factory",
            TestPlugins.factory(
                    "sink-clash",
                    "Set.of()",
                    "List.of(PluginFlag.withValue(\"--disable-tcp-mon\", \"x\", \"X\", \"x\"))",
                    "List.of()",
                    "null")
                .replace("package test.sink_clash;", "package test.clash;"))
        .factory("test.clash.Factory")
        .writeJar(plugins.resolve("sink-clash").resolve("sink-clash.jar"));

    assertThatThrownBy(() -> discover(plugins))
        .hasMessage(
            "plugins: probe-test and sink-clash both declare --disable-tcp-mon, but only one of"
                + " them takes a value: remove one of the plugins");
  }

  private void versioned(String name, String version) {
    new TestPluginBuilder()
        .source(
            "test.versioned.Factory",
            TestPlugins.factory(name, "Set.of()", "List.of()", "List.of()", "null")
                .replace("package test." + name.replace('-', '_') + ";", "package test.versioned;")
                .replace("return ApiVersion.CURRENT;", "return \"" + version + "\";"))
        .factory("test.versioned.Factory")
        .writeJar(plugins.resolve(name).resolve(name + ".jar"));
  }

  @Test
  void twoServicesWithTheSameNameAreRefused() {
    TestPlugins.recordingSink(plugins.resolve("a"), "sink-dup");
    TestPlugins.recordingSink(plugins.resolve("b"), "sink-dup");
    moveTo(plugins.resolve("a/sink-dup/sink-dup.jar"), plugins.resolve("first/sink.jar"));
    moveTo(plugins.resolve("b/sink-dup/sink-dup.jar"), plugins.resolve("second/sink.jar"));
    deleteTree(plugins.resolve("a"));
    deleteTree(plugins.resolve("b"));

    assertThatThrownBy(() -> discover(plugins))
        .isInstanceOf(LauncherException.class)
        .hasMessageStartingWith("plugins: two plugins are named 'sink-dup'")
        .hasMessageContaining(plugins.resolve("first").toString())
        .hasMessageContaining(plugins.resolve("second").toString());
  }

  @Test
  void aPluginDirectoryWritableByOthersIsRefusedWithTheFix() throws Exception {
    TestPlugins.recordingSink(plugins, "sink-test");
    Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThatThrownBy(() -> discover(plugins))
        .isInstanceOfSatisfying(
            LauncherException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.PLUGINS))
        .hasMessage(
            "plugins: "
                + plugins
                + " is writable by group or others, so they could make the agent run their code:"
                + " run chmod -R go-w '"
                + plugins
                + "'");
  }

  @Test
  void aGroupWritablePluginFolderOrJarIsRefused() throws Exception {
    Path jar = TestPlugins.recordingSink(plugins, "sink-test");
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-r--"));
    assertThatThrownBy(() -> discover(plugins))
        .hasMessageStartingWith("plugins: " + jar + " is writable by group or others")
        .hasMessageEndingWith("run chmod go-w '" + jar + "'");

    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(jar.getParent(), PosixFilePermissions.fromString("rwxrwxr-x"));
    assertThatThrownBy(() -> discover(plugins))
        .hasMessageStartingWith("plugins: " + jar.getParent() + " is writable by group or others");
  }

  @Test
  void aJarOwnedByAnotherUserIsRefusedWithTheFix() {
    // api-testkit's Requirements builds on the launcher, so its rule is restated here: where
    // everything must run (CI=true, -Dlanthorn.requireAll=true), a missing requirement fails.
    boolean root = ownerOf(plugins) == 0;
    if (!root
        && ("true".equalsIgnoreCase(System.getenv("CI"))
            || Boolean.getBoolean("lanthorn.requireAll"))) {
      throw new AssertionError("required here, but missing: root, to give a file to another user");
    }
    assumeTrue(root, "giving a file to another user needs root");
    Path jar = TestPlugins.recordingSink(plugins, "sink-test");
    setOwner(jar, 1234);

    assertThatThrownBy(() -> discover(plugins))
        .isInstanceOf(LauncherException.class)
        .hasMessage(
            "plugins: "
                + jar
                + " is owned by uid 1234, not by root who runs the agent, so that user could"
                + " make the agent run their code: run chown root '"
                + jar
                + "'");
  }

  private void versionedPlugin(String name, String version) {
    Path folder = plugins.resolve(name);
    Path lib =
        new TestPluginBuilder()
            .source(
                "com.example.lib.Greeting",
                """
                package com.example.lib;

                public final class Greeting {
                  public static String version() { return "VERSION"; }
                }
                """
                    .replace("VERSION", version))
            .writeJar(folder.resolve("greeting-" + version + ".jar"));
    String pkg = "test." + name.replace('-', '_');
    new TestPluginBuilder()
        .classpath(lib)
        .source(
            pkg + ".VersionEnricher",
            """
            package PKG;

            import io.lanthorn.api.*;

            public final class VersionEnricher implements Enricher {
              public java.util.Set<EventKind> kinds() { return java.util.Set.of(EventKind.TCP_CONNECT); }
              public void close() {}

              public Event enrich(Event event) {
                String sees = "nothing";
                try {
                  Class.forName("picocli.CommandLine");
                  sees = "picocli";
                } catch (ClassNotFoundException expected) {
                  // isolated, as it should be
                }
                if (getClass().getClassLoader().getResource("logback.xml") != null
                    || getClass().getClassLoader().getResource(
                        "io/lanthorn/launcher/version.properties") != null) {
                  sees = "launcher resources";
                }
                return event
                    .withAttribute(AttributeKey.stringKey("test.lib"), com.example.lib.Greeting.version())
                    .withAttribute(AttributeKey.stringKey("test.sees"), sees);
              }
            }
            """
                .replace("PKG", pkg)
                .replace("NAME", name))
        .source(
            pkg + ".Factory",
            TestPlugins.factory(
                name,
                "Set.of(PluginKind.ENRICHER)",
                "List.of()",
                "List.of()",
                "new VersionEnricher()"))
        .factory(pkg + ".Factory")
        .writeJar(folder.resolve(name + ".jar"));
  }

  private static void moveTo(Path from, Path to) {
    try {
      Files.createDirectories(to.getParent());
      Files.move(from, to);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) {
    try (var walk = Files.walk(root)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int ownerOf(Path path) {
    try {
      return (Integer) Files.getAttribute(path, "unix:uid");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void setOwner(Path path, int uid) {
    try {
      Files.setAttribute(path, "unix:uid", uid);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
