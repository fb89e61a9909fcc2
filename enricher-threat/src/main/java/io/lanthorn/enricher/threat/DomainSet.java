package io.lanthorn.enricher.threat;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Listed domains: a name matches when it or one of its parent domains is listed ({@code
 * a.b.evil.example} matches {@code evil.example}). One hash lookup per label of the name.
 */
final class DomainSet {
  private static final DomainSet EMPTY = new DomainSet(Set.of());

  private final Set<String> domains;

  private DomainSet(Set<String> domains) {
    this.domains = domains;
  }

  static DomainSet empty() {
    return EMPTY;
  }

  static DomainSet of(Set<String> domains) {
    return new DomainSet(Set.copyOf(domains));
  }

  int size() {
    return domains.size();
  }

  /** The listed domains, lower-case, without trailing dots; in no particular order. */
  List<String> list() {
    return List.copyOf(domains);
  }

  /**
   * The listed domain that holds the name, or {@code null}.
   *
   * @param name a DNS name, any case, with or without the trailing dot
   */
  String match(String name) {
    if (domains.isEmpty() || name == null || name.isEmpty()) {
      return null;
    }
    String candidate = normalize(name);
    while (true) {
      if (domains.contains(candidate)) {
        return candidate;
      }
      int dot = candidate.indexOf('.');
      if (dot < 0) {
        return null;
      }
      candidate = candidate.substring(dot + 1);
    }
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
      return new DomainSet(Set.copyOf(domains));
    }
  }
}
