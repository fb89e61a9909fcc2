package io.lanthorn.sink.kafka;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * A bounded on-disk queue of encoded messages for while the broker is unreachable: one file per
 * spooled batch ({@code <sequence>.spool}, mode 0600, written to a temporary name, forced to disk,
 * then renamed), drained oldest first. A batch that would take the spool past its size limit is
 * refused and counted as overflow: the spool never loses what it already holds, and what it refuses
 * is counted by the caller. Files survive a restart of the agent and are drained then.
 *
 * <p>Not thread-safe: the sink's writing thread only.
 */
final class Spool {
  static final String SUFFIX = ".spool";
  private static final Set<StandardOpenOption> CREATE =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

  private final Path directory;
  private final long maxBytes;

  /** Spooled batch files by sequence number, oldest first. */
  private final TreeMap<Long, Spooled> files = new TreeMap<>();

  private long bytes;
  private long messages;
  private long nextSequence;

  private record Spooled(Path file, long bytes, int messages) {}

  /** A message as Kafka gets it: the partitioning key and the encoded event. */
  @SuppressWarnings("ArrayRecordComponent") // bytes handed to Kafka as they are; never compared
  record Message(byte[] key, byte[] value) {}

  Spool(Path directory, long maxBytes) throws IOException {
    this.directory = directory;
    this.maxBytes = maxBytes;
    Files.createDirectories(directory);
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
      for (Path file : stream) {
        String name = file.getFileName().toString();
        if (name.endsWith(".tmp")) {
          Files.delete(file); // a batch half-written when the agent died was never acknowledged
        } else if (name.endsWith(SUFFIX)) {
          long sequence = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
          Spooled spooled = new Spooled(file, Files.size(file), read(file).size());
          files.put(sequence, spooled);
          bytes += spooled.bytes();
          messages += spooled.messages();
        }
      }
    }
    nextSequence = files.isEmpty() ? 1 : files.lastKey() + 1;
  }

  /**
   * Spools a batch, all or nothing.
   *
   * @return false, spooling nothing, when the batch would take the spool past its limit
   */
  boolean append(List<Message> batch) throws IOException {
    if (batch.isEmpty()) {
      return true;
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(buffer);
    out.writeInt(batch.size());
    for (Message message : batch) {
      out.writeInt(message.key().length);
      out.write(message.key());
      out.writeInt(message.value().length);
      out.write(message.value());
    }
    out.flush();
    if (bytes + buffer.size() > maxBytes) {
      return false;
    }
    long sequence = nextSequence++;
    Path file = directory.resolve(String.format("%020d%s", sequence, SUFFIX));
    Path temporary = directory.resolve(file.getFileName() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            temporary,
            CREATE,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      ByteBuffer data = ByteBuffer.wrap(buffer.toByteArray());
      while (data.hasRemaining()) {
        channel.write(data);
      }
      channel.force(true);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    files.put(sequence, new Spooled(file, buffer.size(), batch.size()));
    bytes += buffer.size();
    messages += batch.size();
    return true;
  }

  /** Whether nothing is spooled. */
  boolean isEmpty() {
    return files.isEmpty();
  }

  /** The oldest spooled batch, or an empty list. */
  List<Message> oldest() throws IOException {
    return files.isEmpty() ? List.of() : read(files.firstEntry().getValue().file());
  }

  /** Removes the oldest batch, once the broker acknowledged all of it. */
  void removeOldest() throws IOException {
    var oldest = files.pollFirstEntry();
    if (oldest != null) {
      Files.delete(oldest.getValue().file());
      bytes -= oldest.getValue().bytes();
      messages -= oldest.getValue().messages();
    }
  }

  /** The bytes spooled now. */
  long bytes() {
    return bytes;
  }

  /** The messages spooled now. */
  long messages() {
    return messages;
  }

  long maxBytes() {
    return maxBytes;
  }

  Path directory() {
    return directory;
  }

  private static List<Message> read(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      int count = in.readInt();
      List<Message> batch = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte[] key = in.readNBytes(in.readInt());
        byte[] value = in.readNBytes(in.readInt());
        batch.add(new Message(key, value));
      }
      return batch;
    }
  }
}
