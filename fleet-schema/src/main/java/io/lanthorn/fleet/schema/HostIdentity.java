package io.lanthorn.fleet.schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who captured an event: {@code host.name} and {@code host.id}.
 *
 * @param name the configured name, else the kernel's hostname
 * @param id the configured id, else {@code /etc/machine-id}, else the name
 */
public record HostIdentity(String name, String id) {

  /** The kernel's hostname (no DNS lookup: the agent resolves no names). */
  static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");

  /** systemd's stable machine id, also present on Debian without systemd (dbus writes it). */
  static final Path MACHINE_ID = Path.of("/etc/machine-id");

  /** Checks that both parts are set. */
  public HostIdentity {
    if (name == null || name.isBlank() || id == null || id.isBlank()) {
      throw new IllegalArgumentException("host name and id must not be empty");
    }
  }

  /**
   * The identity from configuration, where set (non-empty), else detected.
   *
   * @param configuredName {@code host-name}, or empty
   * @param configuredId {@code host-id}, or empty
   */
  public static HostIdentity of(String configuredName, String configuredId) {
    return of(configuredName, configuredId, HOSTNAME, MACHINE_ID);
  }

  static HostIdentity of(
      String configuredName, String configuredId, Path hostname, Path machineId) {
    String name = configuredName.isBlank() ? firstLine(hostname) : configuredName.strip();
    if (name.isEmpty()) {
      name = "localhost";
    }
    String id = configuredId.isBlank() ? firstLine(machineId) : configuredId.strip();
    return new HostIdentity(name, id.isEmpty() ? name : id);
  }

  private static String firstLine(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      int newline = text.indexOf('\n');
      return newline < 0 ? text : text.substring(0, newline).strip();
    } catch (IOException e) {
      return "";
    }
  }
}
