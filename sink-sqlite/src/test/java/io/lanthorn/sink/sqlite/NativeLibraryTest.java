package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.PluginException;
import io.lanthorn.sink.sqlite.store.DatabaseFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sqlite-jdbc extracts its native library to a temporary directory before loading it; hardened
 * hosts mount /tmp noexec. The library loads once per JVM, so this runs a JVM of its own.
 */
class NativeLibraryTest {
  @TempDir Path dir;

  @Test
  void aNoexecTemporaryDirectoryIsExplained() throws Exception {
    Path noexec = Files.createDirectory(dir.resolve("noexec"));
    try (TmpfsMount mount = TmpfsMount.on(noexec, "noexec,size=16m")) {
      Process java =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "--enable-native-access=ALL-UNNAMED",
                      "-Dorg.sqlite.tmpdir=" + noexec,
                      "-Dorg.slf4j.simpleLogger.defaultLogLevel=off",
                      "-cp",
                      System.getProperty("java.class.path"),
                      OpenAndPrint.class.getName(),
                      dir.resolve("lanthorn.db").toString()))
              .redirectErrorStream(true)
              .start();
      assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(output)
          .isEqualTo(
              "cannot load SQLite's native library from "
                  + noexec
                  + " (mounted noexec?): start Java with -Dorg.sqlite.tmpdir=<a directory that"
                  + " allows executables>\n");
    }
  }

  /** Opens a database file and prints the failure's message, the one line a user would see. */
  static final class OpenAndPrint {
    private OpenAndPrint() {}

    public static void main(String[] args) throws IOException {
      try {
        DatabaseFile.forWriting(Path.of(args[0]), Duration.ofSeconds(1)).connect().close();
        System.out.println("opened");
      } catch (PluginException e) {
        System.out.println(e.getMessage());
      } catch (java.sql.SQLException e) {
        throw new IOException(e);
      }
    }
  }
}
