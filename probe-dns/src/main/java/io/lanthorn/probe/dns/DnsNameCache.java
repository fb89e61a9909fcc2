package io.lanthorn.probe.dns;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which name each container last resolved to each address: (cgroup, address) → (name, expiry), plus
 * a host-wide view address → the latest name any cgroup resolved to it.
 *
 * <p>A connection takes the name its own cgroup resolved (when several names map to one address, as
 * CDNs do, that is the one its process asked for), and only otherwise the host-wide latest. An
 * answer counts from when it arrived until its TTL ends, but at least {@code ttlFloor}: a name with
 * a TTL of seconds still names the connection that follows. Each view holds at most {@code
 * maxEntries}, dropping the least recently used. Thread-safe.
 */
public final class DnsNameCache {
  // A response observed this long after the connection's timestamp may still precede it: the two
  // come from different kernel programs, converted to wall-clock time separately.
  private static final long CLOCK_SLACK_NANOS = 1_000_000_000L;

  private final int maxEntries;
  private final long floorNanos;
  private final Map<Key, Entry> byCgroup;
  private final Map<InetAddress, Entry> hostWide;
  private long hits;
  private long hostWideHits;
  private long misses;

  private record Key(long cgroupId, InetAddress address) {}

  private record Entry(String name, long observedNanos, long expiresNanos) {}

  /**
   * @param maxEntries bound of each view
   * @param ttlFloor the shortest time an answer names connections
   */
  public DnsNameCache(int maxEntries, Duration ttlFloor) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.floorNanos = ttlFloor.toNanos();
    this.byCgroup = lru(maxEntries);
    this.hostWide = lru(maxEntries);
  }

  private static <K, V> Map<K, V> lru(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }

  /**
   * Records that a process in {@code cgroupId} learned {@code name} → {@code address}.
   *
   * @param observedNanos when the answer arrived, wall-clock nanoseconds since the epoch
   */
  public synchronized void put(
      long cgroupId, InetAddress address, String name, long ttlSeconds, long observedNanos) {
    long ttlNanos = Math.max(floorNanos, Math.min(ttlSeconds, Integer.MAX_VALUE) * 1_000_000_000L);
    Entry entry = new Entry(name, observedNanos, saturatedAdd(observedNanos, ttlNanos));
    putLatest(byCgroup, new Key(cgroupId, address), entry);
    putLatest(hostWide, address, entry);
  }

  // Responses arrive nearly in order; one handled late must not replace a newer answer.
  private static <K> void putLatest(Map<K, Entry> map, K key, Entry entry) {
    Entry old = map.get(key);
    if (old == null || old.observedNanos() <= entry.observedNanos()) {
      map.put(key, entry);
    }
  }

  /**
   * The name for a connection from {@code cgroupId} to {@code address} at {@code atNanos}: the one
   * its cgroup resolved, else the host-wide latest, if still valid then.
   */
  public synchronized Optional<String> lookup(long cgroupId, InetAddress address, long atNanos) {
    Entry own = byCgroup.get(new Key(cgroupId, address));
    if (valid(own, atNanos)) {
      hits++;
      return Optional.of(own.name());
    }
    Entry any = hostWide.get(address);
    if (valid(any, atNanos)) {
      hostWideHits++;
      return Optional.of(any.name());
    }
    misses++;
    return Optional.empty();
  }

  private static boolean valid(Entry entry, long atNanos) {
    return entry != null
        && entry.observedNanos() - CLOCK_SLACK_NANOS <= atNanos
        && atNanos <= entry.expiresNanos();
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  /** Entries held in the per-cgroup view. */
  public synchronized int size() {
    return byCgroup.size();
  }

  /** The bound of each view. */
  public int maxEntries() {
    return maxEntries;
  }

  /** Lookups answered by the connection's own cgroup. */
  public synchronized long hits() {
    return hits;
  }

  /** Lookups answered host-wide, the own cgroup having no answer. */
  public synchronized long hostWideHits() {
    return hostWideHits;
  }

  /** Lookups without a name. */
  public synchronized long misses() {
    return misses;
  }
}
