package io.lanthorn.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the process gives the launcher; tests build their own.
 *
 * @param home the installation directory ({@code -Dlanthorn.home}, set by {@code bin/lanthorn}), or
 *     {@code null} when running outside a distribution
 * @param environment the environment configuration layer
 * @param out where command results go
 * @param err where one-line errors go
 * @param stopSignal how {@code run} learns to stop
 */
public record Launch(
    Path home, Config environment, PrintStream out, PrintStream err, StopSignal stopSignal) {

  /** The real process: system property, {@code CONFIG_FORCE_} variables, SIGTERM/SIGINT. */
  public static Launch fromSystem() {
    String home = System.getProperty("lanthorn.home");
    return new Launch(
        home == null ? null : Path.of(home),
        ConfigFactory.systemEnvironmentOverrides(),
        System.out,
        System.err,
        new ShutdownHookSignal());
  }

  /** {@code plugins/} of the installation, or of the working directory outside one. */
  Path defaultPlugins() {
    return home == null ? Path.of("plugins") : home.resolve("plugins");
  }

  /** {@code conf/lanthorn.conf} of the installation when it exists, else {@code null}. */
  Path defaultConfig() {
    if (home == null) {
      return null;
    }
    Path file = home.resolve("conf").resolve("lanthorn.conf");
    return Files.exists(file) ? file : null;
  }
}
