package io.lanthorn.sink.sqlite;

import static io.lanthorn.api.testkit.Requirements.require;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for one test, to reach real "disk full" and "read-only file system"
 * conditions. Needs root; the test is skipped, saying why, where mounting is not possible.
 */
final class TmpfsMount implements AutoCloseable {
  private final Path directory;

  private TmpfsMount(Path directory) {
    this.directory = directory;
  }

  /**
   * Mounts a tmpfs on the (existing, empty) directory.
   *
   * @param options mount options, e.g. {@code size=256k} or {@code ro}
   */
  static TmpfsMount on(Path directory, String options) throws IOException, InterruptedException {
    require(
        "root".equals(System.getProperty("user.name")),
        "mounting a tmpfs needs root; run the tests as root to cover disk-full and read-only file systems");
    int status = run("mount", "-t", "tmpfs", "-o", options, "lanthorn-test", directory.toString());
    require(status == 0, "mount -t tmpfs failed (exit " + status + "): no mount privilege here");
    return new TmpfsMount(directory);
  }

  /** Unmounts; lazily if something still holds a file open, so no mount outlives the test. */
  @Override
  public void close() throws IOException, InterruptedException {
    if (run("umount", directory.toString()) != 0
        && run("umount", "-l", directory.toString()) != 0) {
      throw new IOException("umount " + directory + " failed");
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(List.of(command)).inheritIO().start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }
}
