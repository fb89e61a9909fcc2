package io.lanthorn.enricher.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.lanthorn.api.Counter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Asks Docker about single containers, off the pipeline thread: on a cache miss ({@link #lookup}),
 * and to complete what an event did not carry ({@link #refresh}: the image id, the cgroup inode).
 *
 * <p>Lookups for the same id share one inspection; a lookup also completes as soon as the events
 * stream teaches the cache the id, whichever comes first.
 */
final class ContainerInspector {
  /** Image references resolved to ids; small, since a host runs few distinct images. */
  private static final int MAX_IMAGE_IDS = 1024;

  private final DockerCalls calls;
  private final Duration timeout;
  private final ContainerCache cache;
  private final ContainerCgroups cgroups;
  private final Supplier<DockerClient> client;
  private final Logger logger;
  private final Counter lookups;
  private final Counter timeouts;
  private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
  private final Map<String, String> imageIds = new ConcurrentHashMap<>();

  /**
   * @param client the current client, {@code null} while Docker is unreachable
   * @param lookups counts inspections made on a miss
   * @param timeouts counts inspections that overran {@code timeout}
   */
  ContainerInspector(
      DockerCalls calls,
      Duration timeout,
      ContainerCache cache,
      ContainerCgroups cgroups,
      Supplier<DockerClient> client,
      Logger logger,
      Counter lookups,
      Counter timeouts) {
    this.calls = calls;
    this.timeout = timeout;
    this.cache = cache;
    this.cgroups = cgroups;
    this.client = client;
    this.logger = logger;
    this.lookups = lookups;
    this.timeouts = timeouts;
    cache.onLearned(this::finish);
  }

  /** A lookup and whether this call started it (so that only one batch waits for it). */
  record Lookup(CompletableFuture<Void> done, boolean started) {}

  /**
   * Finds out about a container the cache does not know. Never blocks; the future completes when
   * the cache knows the container, or Docker said it does not, or the inspection failed.
   */
  Lookup lookup(String containerId) {
    CompletableFuture<Void> fresh = new CompletableFuture<>();
    CompletableFuture<Void> existing = pending.putIfAbsent(containerId, fresh);
    if (existing != null) {
      return new Lookup(existing, false);
    }
    if (cache.get(containerId) != null) {
      // Learned between the caller's miss and now.
      finish(containerId);
      return new Lookup(fresh, true);
    }
    DockerClient docker = client.get();
    if (docker == null) {
      finish(containerId);
      return new Lookup(fresh, true);
    }
    lookups.increment();
    var _ = inspect(docker, containerId).whenComplete((ignored, error) -> finish(containerId));
    return new Lookup(fresh, true);
  }

  /**
   * Completes a container the events stream announced: its image id (events carry only the image
   * name) and the inode of its cgroup (for events whose cgroup name is not an id). Fire and forget.
   */
  void refresh(String containerId) {
    DockerClient docker = client.get();
    if (docker != null) {
      var _ = inspect(docker, containerId);
    }
  }

  /**
   * Records the cgroup inode of a container at Docker's default locations, without asking Docker.
   *
   * @return whether the directory was found
   */
  boolean indexCgroup(String containerId) {
    long cgroupId = cgroups.cgroupIdOf(containerId, 0);
    cache.indexCgroup(containerId, cgroupId);
    return cgroupId != 0;
  }

  private CompletableFuture<Void> inspect(DockerClient docker, String containerId) {
    return calls
        .submit(
            "inspect container " + containerId,
            timeout,
            () -> docker.inspectContainerCmd(containerId).exec())
        .handle(
            (inspection, error) -> {
              if (error == null) {
                cache.learn(DockerModels.fromInspection(inspection));
                long pid = DockerModels.pidOf(inspection);
                if (pid > 0) {
                  cache.indexCgroup(containerId, cgroups.cgroupIdOf(containerId, pid));
                } else if (DockerModels.hasExited(inspection)) {
                  // Liveness is otherwise the events stream's business: an inspection racing a
                  // start event must not bury a container that has just started.
                  cache.gone(containerId);
                }
              } else if (error instanceof NotFoundException) {
                onNotFound(docker, containerId);
              } else {
                if (error instanceof TimeoutException) {
                  timeouts.increment();
                }
                logger.debug("inspecting container {} failed: {}", containerId, error.toString());
              }
              return null;
            });
  }

  // Gone already (a --rm container that lived 100 ms), or never Docker's.
  private void onNotFound(DockerClient docker, String containerId) {
    ContainerCache.Entry entry = cache.get(containerId);
    if (entry == null) {
      cache.markAbsent(containerId);
      return;
    }
    String imageName = entry.metadata().imageName();
    if (entry.metadata().imageId() != null || imageName == null) {
      return;
    }
    // The image outlives the container: resolve its name to the id.
    String known = imageIds.get(imageName);
    if (known != null) {
      cache.learn(entry.metadata().withImageId(known));
      return;
    }
    var _ =
        calls
            .submit(
                "inspect image " + imageName,
                timeout,
                () -> docker.inspectImageCmd(imageName).exec().getId())
            .thenAccept(
                imageId -> {
                  if (imageIds.size() >= MAX_IMAGE_IDS) {
                    imageIds.clear();
                  }
                  imageIds.put(imageName, imageId);
                  ContainerCache.Entry current = cache.get(containerId);
                  if (current != null) {
                    cache.learn(current.metadata().withImageId(imageId));
                  }
                });
  }

  private void finish(String containerId) {
    CompletableFuture<Void> done = pending.remove(containerId);
    if (done != null) {
      done.complete(null);
    }
  }
}
