package io.lanthorn.enricher.docker;

import io.lanthorn.api.Attributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The containers Lanthorn knows, by id and by cgroup id, kept current by the Docker events stream.
 *
 * <p>Reads ({@link #get}, {@link #containerIdOfCgroup}, {@link #isKnownAbsent}) are lock-free and
 * run on the pipeline thread; writes come from the events stream, reconciliation and inspections,
 * and are serialised. A container that exits becomes a <em>tombstone</em>: it still resolves for
 * {@code tombstoneTtl}, because connection events can reach the enricher after the container is
 * gone. The cache holds at most {@code maxSize} containers; when full, the oldest tombstone goes
 * first, and only when there is none, the live container learned longest ago.
 */
final class ContainerCache {

  /**
   * One container as the cache holds it.
   *
   * @param metadata what Docker said
   * @param attributes the attributes derived from it, built once so the hot path only copies them
   * @param learnedAt when the cache first heard of it
   * @param goneSince when it exited, or {@code null} while it may still run
   * @param cgroupId the inode of its cgroup v2 directory, 0 when not (yet) known
   */
  record Entry(
      ContainerMetadata metadata,
      Attributes attributes,
      Instant learnedAt,
      Instant goneSince,
      long cgroupId) {

    boolean isTombstone() {
      return goneSince != null;
    }
  }

  private final Map<String, Entry> byId = new ConcurrentHashMap<>();
  private final Map<Long, String> idByCgroup = new ConcurrentHashMap<>();
  private final Map<String, Instant> absentSince = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration tombstoneTtl;
  private final Duration absentTtl;
  private final int maxSize;
  private final LongAdder evictions = new LongAdder();
  private volatile Consumer<String> learnedListener = id -> {};

  /**
   * @param clock the time tombstones and absences are measured with
   * @param tombstoneTtl how long an exited container keeps resolving
   * @param absentTtl how long an id Docker does not know is remembered as unknown
   * @param maxSize the most containers held
   */
  ContainerCache(Clock clock, Duration tombstoneTtl, Duration absentTtl, int maxSize) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tombstoneTtl = tombstoneTtl;
    this.absentTtl = absentTtl;
    if (maxSize < 1) {
      throw new IllegalArgumentException("maxSize must be positive: " + maxSize);
    }
    this.maxSize = maxSize;
  }

  /** Called with a container's id each time the cache learns about it; must be fast. */
  void onLearned(Consumer<String> listener) {
    learnedListener = Objects.requireNonNull(listener, "listener");
  }

  /** The container with this id, or {@code null}. Lock-free. */
  Entry get(String containerId) {
    return byId.get(containerId);
  }

  /** The id of the container whose cgroup v2 directory has this inode, or {@code null}. */
  String containerIdOfCgroup(long cgroupId) {
    return cgroupId == 0 ? null : idByCgroup.get(cgroupId);
  }

  /** Whether Docker recently said it does not know this id (so asking again is pointless). */
  boolean isKnownAbsent(String containerId) {
    Instant since = absentSince.get(containerId);
    return since != null && since.plus(absentTtl).isAfter(clock.instant());
  }

  /** The number of containers held, tombstones included. */
  int size() {
    return byId.size();
  }

  /** How many containers were evicted because the cache was full. */
  long evictions() {
    return evictions.sum();
  }

  /**
   * Records what Docker said about a container, keeping earlier facts the new record lacks and the
   * container's liveness as it was.
   */
  void learn(ContainerMetadata metadata) {
    synchronized (this) {
      Entry old = byId.get(metadata.id());
      ContainerMetadata merged = metadata.mergedWith(old == null ? null : old.metadata());
      Entry entry =
          old == null
              ? new Entry(merged, merged.toAttributes(), clock.instant(), null, 0)
              : new Entry(
                  merged,
                  merged.equals(old.metadata()) ? old.attributes() : merged.toAttributes(),
                  old.learnedAt(),
                  old.goneSince(),
                  old.cgroupId());
      byId.put(metadata.id(), entry);
      absentSince.remove(metadata.id());
      if (old == null) {
        evictWhileFull(metadata.id());
      }
    }
    learnedListener.accept(metadata.id());
  }

  /** Marks a container as running again (after a restart), clearing its tombstone. */
  synchronized void started(String containerId) {
    byId.computeIfPresent(
        containerId,
        (id, e) ->
            e.goneSince() == null
                ? e
                : new Entry(e.metadata(), e.attributes(), e.learnedAt(), null, e.cgroupId()));
  }

  /** Turns a container into a tombstone, if it is not one already. */
  synchronized void gone(String containerId) {
    Instant now = clock.instant();
    byId.computeIfPresent(
        containerId,
        (id, e) ->
            e.goneSince() != null
                ? e
                : new Entry(e.metadata(), e.attributes(), e.learnedAt(), now, e.cgroupId()));
  }

  /** Remembers the inode of a known container's cgroup v2 directory. */
  synchronized void indexCgroup(String containerId, long cgroupId) {
    if (cgroupId == 0) {
      return;
    }
    Entry e = byId.get(containerId);
    if (e == null || e.cgroupId() == cgroupId) {
      return;
    }
    if (e.cgroupId() != 0) {
      idByCgroup.remove(e.cgroupId(), containerId);
    }
    byId.put(
        containerId,
        new Entry(e.metadata(), e.attributes(), e.learnedAt(), e.goneSince(), cgroupId));
    idByCgroup.put(cgroupId, containerId);
  }

  /** Remembers that Docker does not know this id. */
  void markAbsent(String containerId) {
    if (!byId.containsKey(containerId)) {
      absentSince.put(containerId, clock.instant());
    }
  }

  /**
   * Brings the cache in line with a fresh listing of the running containers, after a (re)connect:
   * listed containers are learned and alive, and live entries that are not listed exited while
   * nobody was watching, so they become tombstones.
   */
  void reconcile(Collection<ContainerMetadata> running) {
    Set<String> listed = new HashSet<>();
    for (ContainerMetadata metadata : running) {
      learn(metadata);
      started(metadata.id());
      listed.add(metadata.id());
    }
    for (Entry e : byId.values()) {
      if (!e.isTombstone() && !listed.contains(e.metadata().id())) {
        gone(e.metadata().id());
      }
    }
  }

  /** Drops tombstones and absences older than their time to live. */
  synchronized void expire() {
    Instant now = clock.instant();
    for (var it = byId.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.goneSince() != null && !e.goneSince().plus(tombstoneTtl).isAfter(now)) {
        it.remove();
        unindex(e);
      }
    }
    absentSince.values().removeIf(since -> !since.plus(absentTtl).isAfter(now));
  }

  private void unindex(Entry e) {
    if (e.cgroupId() != 0) {
      idByCgroup.remove(e.cgroupId(), e.metadata().id());
    }
  }

  // Runs under the lock. A linear scan is fine: it happens only when the cache is full.
  private void evictWhileFull(String keep) {
    while (byId.size() > maxSize) {
      Entry victim = null;
      for (Entry e : byId.values()) {
        if (e.metadata().id().equals(keep)) {
          continue;
        }
        if (victim == null || evictsBefore(e, victim)) {
          victim = e;
        }
      }
      byId.remove(victim.metadata().id());
      unindex(victim);
      evictions.increment();
    }
  }

  private static boolean evictsBefore(Entry a, Entry b) {
    if (a.isTombstone() != b.isTombstone()) {
      return a.isTombstone();
    }
    return a.isTombstone()
        ? a.goneSince().isBefore(b.goneSince())
        : a.learnedAt().isBefore(b.learnedAt());
  }
}
