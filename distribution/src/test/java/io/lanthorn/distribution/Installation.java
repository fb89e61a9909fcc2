package io.lanthorn.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An unpacked Lanthorn installation: the one the build laid out under {@code target/}, or a copy of
 * it that a test may change (remove a plugin, break a jar) without touching the shipped one.
 */
final class Installation {
  private static final Path SHIPPED = Path.of(System.getProperty("lanthorn.dist"));

  private final Path home;

  private Installation(Path home) {
    this.home = home;
  }

  /** The distribution as the build laid it out. Tests must not change it. */
  static Installation shipped() {
    return new Installation(SHIPPED);
  }

  /**
   * A copy of the shipped distribution in {@code dir}, with the shipped modes (0755 directories,
   * 0644 files, 0755 {@code bin/lanthorn}), so that the agent accepts its plugins directory and
   * another user can read and run it.
   */
  static Installation copyTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> walk = Files.walk(SHIPPED)) {
      for (Path source : walk.toList()) {
        Path target = dir.resolve(SHIPPED.relativize(source).toString());
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(source));
      }
    }
    return new Installation(dir);
  }

  Path home() {
    return home;
  }

  Path launcher() {
    return home.resolve("bin/lanthorn");
  }

  Path plugins() {
    return home.resolve("plugins");
  }

  Path plugin(String name) {
    return plugins().resolve(name);
  }

  /** Uninstalls a plugin the way a user does: removes its folder. */
  void removePlugin(String name) throws IOException {
    if (home.equals(SHIPPED)) {
      throw new IllegalStateException("change a copy of the distribution, not the shipped one");
    }
    deleteTree(plugin(name));
  }

  /** Sets POSIX permissions, e.g. {@code rwxrwxr-x}. */
  static void chmod(Path path, String permissions) throws IOException {
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
