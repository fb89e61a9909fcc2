package io.lanthorn.enricher.docker;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Records the name and inode of every cgroup directory created under a parent, as it appears
 * (inotify works on cgroupfs). That is how a test learns what the kernel captures for a container
 * that lives 100 ms: by the time {@code docker run --rm} returns, the directory is gone.
 */
final class CgroupDirWatcher implements AutoCloseable {
  private final Path parent;
  private final WatchService watcher;
  private final Map<String, KernelView> seen = new ConcurrentHashMap<>();
  private final Thread thread;

  CgroupDirWatcher(Path parent) throws IOException {
    this.parent = parent;
    this.watcher = FileSystems.getDefault().newWatchService();
    parent.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
    thread = Thread.ofPlatform().daemon().name("cgroup-dir-watcher").start(this::run);
  }

  private void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        WatchKey key = watcher.poll(100, TimeUnit.MILLISECONDS);
        if (key == null) {
          continue;
        }
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.context() instanceof Path name) {
            try {
              KernelView view = KernelView.ofDirectory(parent.resolve(name));
              seen.put(view.name(), view);
            } catch (IOException gone) {
              // Removed before we could stat it: not recorded, and the test will say so.
            }
          }
        }
        key.reset();
      }
    } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
      // Closing.
    }
  }

  /** The cgroup whose name contains the container id, waiting briefly for inotify to deliver. */
  KernelView awaitContaining(String containerId) {
    return await("cgroup directory of " + containerId + " under " + parent)
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(10))
        .until(
            () ->
                seen.values().stream()
                    .filter(v -> v.name().contains(containerId))
                    .findFirst()
                    .orElse(null),
            v -> v != null);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    thread.interrupt();
    watcher.close();
    thread.join();
  }
}
