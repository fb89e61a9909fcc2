package io.lanthorn.sink.jsonl;

import io.lanthorn.api.Counter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;

/**
 * A JSON-lines file: mode 0600 (it holds connection data), appended to, optionally rotated by size
 * ({@code events.jsonl} → {@code events.jsonl.1} → {@code .2} …).
 *
 * <p>The file always ends with a whole line: a failed write is cut back off, and a line left
 * incomplete by a crash is removed at open, since no batch containing it was ever acknowledged.
 */
final class RotatingFileOutput implements LineOutput {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final Path path;
  private final boolean fsync;
  private final long maxFileSize;
  private final int maxFiles;
  private final Logger log;
  private final Counter rotations;
  private FileChannel channel;
  private long size;

  /**
   * Opens (or creates) the file.
   *
   * @param rotations counts rotations
   */
  RotatingFileOutput(JsonlSettings settings, Logger log, Counter rotations) throws IOException {
    this.path = settings.path();
    this.fsync = settings.fsync();
    this.maxFileSize = settings.maxFileSize();
    this.maxFiles = settings.maxFiles();
    this.log = log;
    this.rotations = rotations;
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    open();
  }

  @Override
  public void write(byte[] data, int length) throws IOException {
    if (maxFileSize > 0 && size > 0 && size + length > maxFileSize) {
      rotate();
    }
    long before = size;
    try {
      ByteBuffer buffer = ByteBuffer.wrap(data, 0, length);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      if (fsync) {
        channel.force(false);
      }
      size = before + length;
    } catch (IOException e) {
      try {
        channel.truncate(before); // the sink's contract: a failed batch leaves nothing behind
      } catch (IOException truncateFailure) {
        e.addSuppressed(truncateFailure);
      }
      throw e;
    }
  }

  @Override
  public String describe() {
    return path.toString();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private void open() throws IOException {
    channel =
        FileChannel.open(
            path,
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ),
            PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
    if (!permissions.equals(OWNER_ONLY)) {
      Files.setPosixFilePermissions(path, OWNER_ONLY);
      log.warn(
          "{} was mode {}; set it to rw------- since it holds connection data",
          path,
          PosixFilePermissions.toString(permissions));
    }
    size = cutIncompleteLastLine(channel.size());
    channel.position(size);
    syncDirectory();
  }

  /** Removes bytes after the last newline, left by a crash mid-write; returns the new size. */
  private long cutIncompleteLastLine(long fileSize) throws IOException {
    long end = fileSize;
    ByteBuffer chunk = ByteBuffer.allocate(8192);
    while (end > 0) {
      int n = (int) Math.min(chunk.capacity(), end);
      chunk.clear().limit(n);
      channel.read(chunk, end - n);
      for (int i = n - 1; i >= 0; i--) {
        if (chunk.get(i) == '\n') {
          long lineEnd = end - n + i + 1;
          truncateTo(lineEnd, fileSize);
          return lineEnd;
        }
      }
      end -= n;
    }
    truncateTo(0, fileSize);
    return 0;
  }

  private void truncateTo(long newSize, long fileSize) throws IOException {
    if (newSize < fileSize) {
      channel.truncate(newSize);
      log.warn(
          "{}: removed an incomplete last line of {} bytes, left by an interrupted write",
          path,
          fileSize - newSize);
    }
  }

  private void rotate() throws IOException {
    channel.close();
    Files.deleteIfExists(rotated(maxFiles));
    for (int i = maxFiles - 1; i >= 1; i--) {
      if (Files.exists(rotated(i))) {
        Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(path, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    rotations.increment();
    open();
  }

  private Path rotated(int index) {
    return path.resolveSibling(path.getFileName() + "." + index);
  }

  /** Makes the file's creation or rename durable too, not just its contents. */
  private void syncDirectory() {
    if (!fsync) {
      return;
    }
    Path parent = path.toAbsolutePath().getParent();
    try (FileChannel directory = FileChannel.open(parent, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException e) {
      log.debug("cannot fsync directory {}", parent, e);
    }
  }
}
