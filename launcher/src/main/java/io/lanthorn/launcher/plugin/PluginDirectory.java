package io.lanthorn.launcher.plugin;

import io.lanthorn.launcher.ExitCodes;
import io.lanthorn.launcher.LauncherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds plugins in a directory: every sub-folder holding jars ({@code plugins/<name>/*.jar}) and
 * every jar directly inside ({@code plugins/<name>.jar}). Hidden entries and other files are
 * ignored; so are jars nested deeper, which a plugin cannot use anyway.
 *
 * <p>Every path it returns has passed {@link PluginFileSafety} and every jar opens as a zip file,
 * so a broken or unsafe plugin is reported here, by name, before anything is loaded.
 */
final class PluginDirectory {
  private static final Logger log = LoggerFactory.getLogger(PluginDirectory.class);

  private final PluginFileSafety safety;

  PluginDirectory(PluginFileSafety safety) {
    this.safety = safety;
  }

  /**
   * The plugins in {@code directory}, in name order.
   *
   * @throws LauncherException when the directory is missing or unsafe, or a jar is broken
   */
  List<PluginLocation> scan(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new LauncherException(
          ExitCodes.PLUGINS,
          "plugins: directory "
              + directory
              + " does not exist: create it or point --plugins at the distribution's plugins/");
    }
    safety.check(directory);
    Map<String, PluginLocation> byName = new HashMap<>();
    List<PluginLocation> found = new ArrayList<>();
    for (Path entry : list(directory)) {
      PluginLocation location = locate(entry);
      if (location == null) {
        continue;
      }
      PluginLocation clash = byName.putIfAbsent(location.name(), location);
      if (clash != null) {
        throw new LauncherException(
            ExitCodes.PLUGINS,
            "plugins: "
                + clash.path()
                + " and "
                + location.path()
                + " are both plugin '"
                + location.name()
                + "': remove one");
      }
      found.add(location);
    }
    return found;
  }

  private PluginLocation locate(Path entry) {
    String fileName = entry.getFileName().toString();
    if (fileName.startsWith(".")) {
      return null;
    }
    if (Files.isDirectory(entry)) {
      safety.check(entry);
      List<Path> jars = list(entry).stream().filter(PluginDirectory::isJar).toList();
      if (jars.isEmpty()) {
        log.warn("plugins: {} holds no jar: ignored", entry);
        return null;
      }
      jars.forEach(jar -> checkJar(fileName, jar));
      return new PluginLocation(fileName, entry, jars);
    }
    if (isJar(entry)) {
      String name = fileName.substring(0, fileName.length() - ".jar".length());
      checkJar(name, entry);
      return new PluginLocation(name, entry, List.of(entry));
    }
    log.debug("plugins: {} is neither a folder nor a jar: ignored", entry);
    return null;
  }

  private void checkJar(String plugin, Path jar) {
    safety.check(jar);
    try (JarFile ignored = new JarFile(jar.toFile())) {
      // Opening reads the zip's central directory: a truncated or corrupt jar fails here.
    } catch (IOException e) {
      throw new LauncherException(
          ExitCodes.PLUGINS,
          "plugin "
              + plugin
              + ": "
              + jar
              + " is not a readable jar ("
              + e.getMessage()
              + "): reinstall the plugin or remove it",
          e);
    }
  }

  private static boolean isJar(Path path) {
    String name = path.getFileName().toString();
    return !name.startsWith(".") && name.endsWith(".jar") && Files.isRegularFile(path);
  }

  private static List<Path> list(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      throw new LauncherException(
          ExitCodes.PLUGINS, "plugins: cannot list " + directory + ": " + e, e);
    }
  }
}
