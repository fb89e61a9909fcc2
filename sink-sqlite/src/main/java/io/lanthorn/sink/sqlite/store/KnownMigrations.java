package io.lanthorn.sink.sqlite.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The versions of {@code lanthorn-sql}'s migrations on the class path, read from their file names
 * ({@code V11__rollups.sql}) without Flyway: a reader ({@code lanthorn query}) only compares them
 * with the file's {@code flyway_schema_history}, and Flyway's own scan costs a cold JVM about a
 * second.
 */
final class KnownMigrations {
  private static final String FOLDER = "db/migration/lanthorn";
  private static final Pattern NAME = Pattern.compile("V(\\d+)__[^/]*\\.sql");

  private KnownMigrations() {}

  /**
   * The versions, or empty when a migration's name is not a plain number (then the caller asks
   * Flyway).
   */
  static Optional<SortedSet<Integer>> versions(ClassLoader loader) {
    SortedSet<Integer> versions = new TreeSet<>();
    try {
      for (URL folder : Collections.list(loader.getResources(FOLDER))) {
        for (String name : names(folder)) {
          if (!name.startsWith("V")) {
            continue;
          }
          Matcher matcher = NAME.matcher(name);
          if (!matcher.matches()) {
            return Optional.empty();
          }
          versions.add(Integer.parseInt(matcher.group(1)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions);
  }

  private static java.util.List<String> names(URL folder) throws IOException {
    switch (folder.getProtocol()) {
      case "file" -> {
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
          return files.map(file -> file.getFileName().toString()).toList();
        } catch (URISyntaxException e) {
          throw new IOException(folder + " is not a file name", e);
        }
      }
      case "jar" -> {
        JarURLConnection connection = (JarURLConnection) folder.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
          return jar.stream()
              .map(JarEntry::getName)
              .filter(name -> name.startsWith(FOLDER + "/"))
              .map(name -> name.substring(FOLDER.length() + 1))
              .filter(name -> !name.isEmpty() && !name.contains("/"))
              .toList();
        }
      }
      default -> throw new IOException("cannot list migrations in " + folder);
    }
  }
}
