package io.lanthorn.sink.jsonl;

import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginException;
import java.nio.file.Path;

/**
 * The {@code sink-jsonl} section, read once at start (see reference.conf for each key).
 *
 * @param path the file, or {@code null} for standard output ({@code path = "-"})
 * @param fsync whether a batch is forced to disk before {@code write} returns
 * @param maxFileSize the size at which the file rotates; 0 for never
 * @param maxFiles how many rotated files are kept
 */
record JsonlSettings(Path path, boolean fsync, long maxFileSize, int maxFiles) {

  static JsonlSettings from(PluginConfig config) throws PluginException {
    String path = config.getString("path").trim();
    long maxFileSize = config.getBytes("max-file-size");
    int maxFiles = config.getInt("max-files");
    if (path.isEmpty()) {
      throw new PluginException(
          "sink-jsonl.path is empty: set a file, or \"-\" for standard output");
    }
    if (maxFileSize < 0) {
      throw new PluginException("sink-jsonl.max-file-size must not be negative: use 0 for never");
    }
    if (maxFileSize > 0 && maxFiles < 1) {
      throw new PluginException(
          "sink-jsonl.max-files must be at least 1 while rotation is on (max-file-size > 0),"
              + " or rotating would delete events");
    }
    return new JsonlSettings(
        path.equals("-") ? null : Path.of(path), config.getBoolean("fsync"), maxFileSize, maxFiles);
  }
}
