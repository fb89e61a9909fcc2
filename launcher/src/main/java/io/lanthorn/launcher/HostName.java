package io.lanthorn.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This host's name, as {@code uname -n} prints it, for event headers. */
final class HostName {
  private HostName() {}

  /**
   * {@code given} ({@code --host-name}) when set, else the kernel's host name.
   *
   * @throws LauncherException when {@code given} is blank
   */
  static String of(String given) {
    if (given == null) {
      return get();
    }
    if (given.isBlank()) {
      throw new LauncherException(
          ExitCodes.USAGE, "--host-name is empty: give this host's name, or leave the option out");
    }
    return given.strip();
  }

  /** The kernel's host name, or {@code localhost} when it cannot be read. */
  static String get() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
      return name.isEmpty() ? "localhost" : name;
    } catch (IOException e) {
      return "localhost";
    }
  }
}
