package io.lanthorn.sink.sqlite.store;

import io.lanthorn.api.PluginException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * One writing agent per database: an exclusive lock on {@code <db>.lock} beside the file, holding
 * the pid of the agent that has it.
 *
 * <p>The lock is the kernel's ({@code fcntl}), so it goes with the process however that ends: a
 * crashed agent never leaves a stale lock behind, and the file itself is left in place (removing it
 * would let a third agent lock a new file while the second still waits on the old one). Readers
 * ({@code lanthorn query}, {@code lanthorn backup}) take no lock: SQLite's WAL lets them read while
 * the agent writes.
 */
public final class DatabaseLock implements AutoCloseable {
  // How long to wait for a holder that has locked the file but not yet written its pid.
  private static final int PID_READ_ATTEMPTS = 50;
  private static final long PID_READ_PAUSE_MILLIS = 20;

  private final FileChannel channel;
  private final FileLock lock;

  private DatabaseLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock file of a database. */
  public static Path lockFileOf(Path database) {
    return database.resolveSibling(database.getFileName() + ".lock");
  }

  /**
   * Takes the database's lock for this process and writes its pid into the lock file.
   *
   * @throws PluginException naming the other agent's pid when it holds the lock
   */
  public static DatabaseLock acquire(Path database) throws PluginException {
    Path lockFile = lockFileOf(database);
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              lockFile,
              Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (IOException e) {
      throw new PluginException(
          "cannot open the lock file "
              + lockFile
              + ": "
              + e.getMessage()
              + "; make its directory writable, or choose another sink-sqlite.path (--db-path)",
          e);
    }
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException sameProcess) {
        lock = null;
      }
      if (lock == null) {
        String holder = readPid(channel);
        channel.close();
        throw new PluginException(
            database
                + " is in use by another Lanthorn agent (pid "
                + holder
                + "): stop that one first, or choose another sink-sqlite.path (--db-path)");
      }
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(pid), 0);
      channel.force(false);
      return new DatabaseLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new PluginException(
          "cannot lock " + lockFile + ": " + e.getMessage() + " (is it on a local file system?)",
          e);
    }
  }

  @Override
  public void close() throws IOException {
    try (channel) {
      lock.release();
    }
  }

  private static String readPid(FileChannel channel) throws IOException {
    for (int attempt = 0; attempt < PID_READ_ATTEMPTS; attempt++) {
      ByteBuffer buffer = ByteBuffer.allocate(32);
      channel.read(buffer, 0);
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
      if (text.endsWith("\n")) {
        return text.strip();
      }
      try {
        Thread.sleep(PID_READ_PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return "unknown";
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Already failing with a better message.
    }
  }
}
