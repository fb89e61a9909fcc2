package io.lanthorn.launcher.plugin;

import java.nio.file.Path;
import java.util.List;

/**
 * A plugin as found on disk, before loading.
 *
 * @param name the folder name, or the jar's name without {@code .jar}
 * @param path the plugin's folder or single jar
 * @param jars the jars its class loader reads, in name order
 */
public record PluginLocation(String name, Path path, List<Path> jars) {
  /** Copies the jar list. */
  public PluginLocation {
    jars = List.copyOf(jars);
  }
}
