package io.lanthorn.enricher.threat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Listed domains: a name matches when it or one of its parent domains is listed ({@code
 * a.b.evil.example} matches {@code evil.example}).
 *
 * <p>A lookup allocates nothing: it walks the name once from its end, keeping {@link
 * String#hashCode()} of the suffix read so far, and at each label's start probes an open-addressing
 * table with that hash, comparing the candidate in place ({@link String#regionMatches}) instead of
 * cutting the parent domain out as a new string. Upper-case letters and a trailing dot are read as
 * if normalised.
 */
final class DomainSet {
  private static final DomainSet EMPTY = new DomainSet(Set.of());

  /** Lower-case domains, or {@code null} for a free slot; at most half full. */
  private final String[] table;

  private final int mask;
  private final int size;

  private DomainSet(Set<String> domains) {
    int capacity = Integer.highestOneBit(Math.max(4, domains.size() * 2 - 1)) << 1;
    table = new String[capacity];
    mask = capacity - 1;
    for (String domain : domains) {
      int slot = spread(domain.hashCode()) & mask;
      while (table[slot] != null) {
        slot = (slot + 1) & mask;
      }
      table[slot] = domain;
    }
    size = domains.size();
  }

  static DomainSet empty() {
    return EMPTY;
  }

  static DomainSet of(Set<String> domains) {
    Builder builder = new Builder();
    domains.forEach(builder::add);
    return builder.build();
  }

  int size() {
    return size;
  }

  /** The listed domains, lower-case, without trailing dots; in no particular order. */
  List<String> list() {
    List<String> all = new ArrayList<>(size);
    for (String domain : table) {
      if (domain != null) {
        all.add(domain);
      }
    }
    return List.copyOf(all);
  }

  /**
   * The listed domain that holds the name, the most specific when several do, or {@code null}.
   *
   * @param name a DNS name, any case, with or without the trailing dot
   */
  String match(String name) {
    if (size == 0 || name == null || name.isEmpty()) {
      return null;
    }
    int end = name.charAt(name.length() - 1) == '.' ? name.length() - 1 : name.length();
    String found = null;
    int hash = 0;
    int power = 1;
    // hash = the String hash of name[i, end) in lower case: sum of c[k] * 31^(end - 1 - k).
    for (int i = end - 1; i >= 0; i--) {
      hash += lower(name.charAt(i)) * power;
      power *= 31;
      if (i == 0 || name.charAt(i - 1) == '.') {
        String hit = find(hash, name, i, end - i);
        if (hit != null) {
          found = hit; // a longer suffix found later is more specific
        }
      }
    }
    return found;
  }

  private String find(int hash, String name, int from, int length) {
    for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
      String candidate = table[slot];
      if (candidate == null) {
        return null;
      }
      if (candidate.length() == length && candidate.regionMatches(true, 0, name, from, length)) {
        return candidate;
      }
    }
  }

  /** Mixes the high bits in: String hashes of similar names differ mostly there. */
  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  /** Lower case, without the trailing dot. */
  static String normalize(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  /** Collects domains; not thread-safe. */
  static final class Builder {
    private final Set<String> domains = new HashSet<>();

    Builder add(String domain) {
      domains.add(normalize(domain));
      return this;
    }

    DomainSet build() {
      return domains.isEmpty() ? EMPTY : new DomainSet(domains);
    }
  }
}
