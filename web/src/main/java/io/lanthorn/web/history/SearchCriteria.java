package io.lanthorn.web.history;

/**
 * A connection search: every field optional (null or blank).
 *
 * @param destination an address, a CIDR block or a domain
 * @param host the host that captured the connection (its host.name), for a fleet's file
 */
public record SearchCriteria(
    String container,
    String process,
    String destination,
    Integer port,
    String outcome,
    String host) {

  /** A search on a single agent's file, without a host. */
  public SearchCriteria(
      String container, String process, String destination, Integer port, String outcome) {
    this(container, process, destination, port, outcome, null);
  }
}
