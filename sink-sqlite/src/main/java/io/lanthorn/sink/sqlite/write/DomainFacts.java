package io.lanthorn.sink.sqlite.write;

import static io.lanthorn.sink.sqlite.schema.Tables.DOMAINS;

import java.util.List;

/** The domains events' processes resolved: rows of {@code domains}, each stored once. */
final class DomainFacts {
  private DomainFacts() {}

  /** A table numbering domains; the set of facts is the domain's name itself. */
  static FactTable<String> table() {
    return new FactTable<>(
        DOMAINS,
        DOMAINS.ID,
        DOMAINS.FIRST_SEEN_NS,
        DOMAINS.LAST_SEEN_NS,
        List.of(new Column<String, String>(DOMAINS.DOMAIN_NAME, name -> name)),
        row -> row.get(DOMAINS.DOMAIN_NAME));
  }
}
