package io.lanthorn.web.history;

/**
 * A connection search: every field optional (null or blank).
 *
 * @param destination an address, a CIDR block or a domain
 */
public record SearchCriteria(
    String container, String process, String destination, Integer port, String outcome) {}
