package io.lanthorn.enricher.threat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Addresses and CIDR ranges of both families, answering "which entry holds this address" with one
 * binary search over sorted, disjoint ranges.
 *
 * <p>CIDR ranges are either disjoint or nested, so sorting by start (widest first) and dropping
 * every range inside the one before it leaves disjoint ranges that still name the entry a match
 * came from (the widest one). Adjacent ranges stay apart for the same reason.
 *
 * <p>A large set also has a bucket index: the 128-bit space cut into {@link #BUCKETS} slices in
 * address order (IPv4 by its first 16 bits, the rest of IPv6 by its first 16), each pointing at its
 * first range, so the binary search runs over the few ranges of one slice, which sit together in
 * memory, instead of over the whole set (a million entries: a few steps instead of twenty cache
 * misses).
 */
final class IpRanges {
  private static final IpRanges EMPTY = new Builder().build();

  /** Below this many ranges one binary search is as quick as the index, and smaller. */
  static final int INDEX_FROM = 1024;

  /**
   * Slices, in address order: 0 below the IPv4-mapped block, 1..65536 the IPv4 /16s, 65537 the rest
   * of {@code ::/64}, then one per first 16 bits of IPv6 beyond it.
   */
  static final int BUCKETS = 2 + 65536 + 65536;

  private static final long MAPPED_FIRST = 0x0000_ffff_0000_0000L;
  private static final long MAPPED_LAST = 0x0000_ffff_ffff_ffffL;

  private final long[] startHigh;
  private final long[] startLow;
  private final long[] endHigh;
  private final long[] endLow;
  private final String[] indicators;

  /** {@code firstInBucket[b]}: the first range whose start is in slice b or later; or null. */
  private final int[] firstInBucket;

  private IpRanges(List<Range> ranges, boolean indexed) {
    int n = ranges.size();
    startHigh = new long[n];
    startLow = new long[n];
    endHigh = new long[n];
    endLow = new long[n];
    indicators = new String[n];
    for (int i = 0; i < n; i++) {
      Range range = ranges.get(i);
      startHigh[i] = range.startHigh;
      startLow[i] = range.startLow;
      endHigh[i] = range.endHigh;
      endLow[i] = range.endLow;
      indicators[i] = range.indicator;
    }
    firstInBucket = indexed && n >= INDEX_FROM ? index() : null;
  }

  private int[] index() {
    int[] first = new int[BUCKETS + 1];
    int range = 0;
    for (int b = 0; b <= BUCKETS; b++) {
      while (range < indicators.length && bucket(startHigh[range], startLow[range]) < b) {
        range++;
      }
      first[b] = range;
    }
    return first;
  }

  /** The slice of an address; never decreases as the address grows. */
  static int bucket(long high, long low) {
    if (high != 0) {
      return 2 + 65536 + (int) (high >>> 48);
    }
    if (Long.compareUnsigned(low, MAPPED_FIRST) < 0) {
      return 0;
    }
    if (Long.compareUnsigned(low, MAPPED_LAST) <= 0) {
      return 1 + (int) ((low >>> 16) & 0xffff);
    }
    return 1 + 65536;
  }

  static IpRanges empty() {
    return EMPTY;
  }

  /** The number of disjoint ranges held (nested entries are counted in their parent). */
  int size() {
    return indicators.length;
  }

  /** The entry holding the address, as the feed wrote it, or {@code null}. */
  String match(InetAddress address) {
    byte[] bytes = address.getAddress(); // a copy: taken once
    return match(Addresses.high(bytes), Addresses.low(bytes));
  }

  String match(long high, long low) {
    // The last range starting at or before the address: in the address's slice, or else the last
    // one before it.
    int lo = 0;
    int hi = indicators.length - 1;
    int found = -1;
    if (firstInBucket != null) {
      int b = bucket(high, low);
      lo = firstInBucket[b];
      hi = firstInBucket[b + 1] - 1;
      found = lo - 1;
    }
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (compare(startHigh[mid], startLow[mid], high, low) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found >= 0 && compare(high, low, endHigh[found], endLow[found]) <= 0) {
      return indicators[found];
    }
    return null;
  }

  private static int compare(long aHigh, long aLow, long bHigh, long bLow) {
    int c = Long.compareUnsigned(aHigh, bHigh);
    return c != 0 ? c : Long.compareUnsigned(aLow, bLow);
  }

  private record Range(
      long startHigh, long startLow, long endHigh, long endLow, String indicator) {}

  /** Collects entries; not thread-safe. */
  static final class Builder {
    private final List<Range> ranges = new ArrayList<>();
    private final List<String> written = new ArrayList<>();

    /**
     * Adds {@code address/prefix} (the address's bits beyond the prefix are ignored).
     *
     * @param prefix 0..32 for IPv4, 0..128 for IPv6
     */
    Builder add(InetAddress address, int prefix, String indicator) {
      if (prefix < 0 || prefix > Addresses.bits(address)) {
        throw new IllegalArgumentException("prefix " + prefix + " out of range for " + address);
      }
      int wide = Addresses.widePrefix(address, prefix);
      long high = Addresses.high(address);
      long low = Addresses.low(address);
      long highMask = wide >= 64 ? -1L : (wide == 0 ? 0 : -1L << (64 - wide));
      long lowMask = wide <= 64 ? 0 : (wide == 128 ? -1L : -1L << (128 - wide));
      ranges.add(
          new Range(high & highMask, low & lowMask, high | ~highMask, low | ~lowMask, indicator));
      written.add(indicator);
      return this;
    }

    Builder addAll(IpRanges other) {
      for (int i = 0; i < other.indicators.length; i++) {
        ranges.add(
            new Range(
                other.startHigh[i],
                other.startLow[i],
                other.endHigh[i],
                other.endLow[i],
                other.indicators[i]));
      }
      return this;
    }

    /** The entries added, as the feed wrote them, in order (nested ones too). */
    List<String> written() {
      return List.copyOf(written);
    }

    IpRanges build() {
      return build(true);
    }

    /** The same without the bucket index: the reference the index is tested against. */
    IpRanges buildUnindexed() {
      return build(false);
    }

    private IpRanges build(boolean indexed) {
      Range[] sorted = ranges.toArray(new Range[0]);
      // Start ascending (unsigned), then the widest first so nested entries follow their parent.
      Arrays.sort(
          sorted,
          (a, b) -> {
            int c = compare(a.startHigh, a.startLow, b.startHigh, b.startLow);
            return c != 0 ? c : compare(b.endHigh, b.endLow, a.endHigh, a.endLow);
          });
      List<Range> disjoint = new ArrayList<>(sorted.length);
      Range last = null;
      for (Range range : sorted) {
        if (last != null && compare(range.endHigh, range.endLow, last.endHigh, last.endLow) <= 0) {
          continue; // inside the previous range (CIDR ranges never overlap partially)
        }
        disjoint.add(range);
        last = range;
      }
      return new IpRanges(disjoint, indexed);
    }
  }
}
