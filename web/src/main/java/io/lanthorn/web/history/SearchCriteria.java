package io.lanthorn.web.history;

/**
 * A connection search: every field optional (null or blank).
 *
 * @param destination an address, a CIDR block or a domain
 * @param direction {@code inbound} (accepted connections) or {@code outbound}
 * @param protocol {@code tcp} or {@code udp}
 */
public record SearchCriteria(
    String container,
    String process,
    String destination,
    Integer port,
    String outcome,
    String direction,
    String protocol) {}
