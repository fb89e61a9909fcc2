package io.lanthorn.web.history;

/**
 * A connection search: every field optional (null or blank).
 *
 * @param destination an address, a CIDR block or a domain
 * @param direction {@code inbound} (accepted connections) or {@code outbound}
 * @param protocol {@code tcp} or {@code udp}
 * @param host the host that captured the connection (its host.name), for a fleet's file
 */
public record SearchCriteria(
    String container,
    String process,
    String destination,
    Integer port,
    String outcome,
    String direction,
    String protocol,
    String host) {

  /** A search on a single agent's file, without a host. */
  public SearchCriteria(
      String container,
      String process,
      String destination,
      Integer port,
      String outcome,
      String direction,
      String protocol) {
    this(container, process, destination, port, outcome, direction, protocol, null);
  }

  /** A search by the first five criteria only. */
  public SearchCriteria(
      String container, String process, String destination, Integer port, String outcome) {
    this(container, process, destination, port, outcome, null, null, null);
  }
}
