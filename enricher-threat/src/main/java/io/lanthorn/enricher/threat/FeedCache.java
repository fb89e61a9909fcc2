package io.lanthorn.enricher.threat;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The last good copy of each feed on disk ({@code <name>.txt}, 0600) and its status ({@code
 * <name>.status}): what an offline start matches with and what {@code lanthorn feeds} prints. Files
 * are replaced atomically, so a crash leaves the previous copy.
 */
final class FeedCache {
  private final Path dir;

  FeedCache(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** The copy saved for this feed, when it was fetched from the same URL. */
  Optional<String> content(FeedSpec feed, FeedStatus status) throws IOException {
    if (!feed.url().toString().equals(status.url())) {
      return Optional.empty(); // reconfigured: the old copy is another list
    }
    try {
      return Optional.of(Files.readString(dir.resolve(feed.name() + ".txt")));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** The saved status, or the empty one. */
  FeedStatus status(String name) throws IOException {
    Path file = dir.resolve(name + ".status");
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Properties properties = new Properties();
      properties.load(reader);
      return FeedStatus.from(properties);
    } catch (NoSuchFileException e) {
      return FeedStatus.NONE;
    }
  }

  /**
   * Records that the operator accepts the feed's next version however much it shrank ({@code
   * lanthorn feeds --accept-shrink}); the running agent reads it at its next refresh.
   */
  void acceptShrink(String name, Instant at) throws IOException {
    write(shrinkMarker(name), "accept the next version however much it shrank; asked at " + at);
  }

  /** Whether {@link #acceptShrink} was asked for and no version has been taken since. */
  boolean shrinkAccepted(String name) {
    return Files.exists(shrinkMarker(name));
  }

  /** A version was taken: the next shrink is checked again. */
  void shrinkTaken(String name) throws IOException {
    Files.deleteIfExists(shrinkMarker(name));
  }

  private Path shrinkMarker(String name) {
    return dir.resolve(name + ".accept-shrink");
  }

  void saveContent(String name, String text) throws IOException {
    write(dir.resolve(name + ".txt"), text);
  }

  void saveStatus(String name, FeedStatus status) throws IOException {
    StringWriter text = new StringWriter();
    status.toProperties().store(text, "enricher-threat: feed " + name);
    write(dir.resolve(name + ".status"), text.toString());
  }

  private void write(Path target, String text) throws IOException {
    Files.createDirectories(
        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path temp =
        Files.createTempFile(
            dir,
            target.getFileName() + ".",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
