package io.lanthorn.sink.sqlite.write;

import java.util.List;

/**
 * What a row of {@code dns_events} holds: one DNS response a process received, with its container
 * attribution. The sink's own view, filled from the plugin API's DNS event.
 *
 * @param timestampNanos wall-clock nanoseconds since the epoch when the response arrived
 * @param domain the question name, lower-case, without the trailing dot
 * @param queryType the question type's mnemonic, e.g. {@code A}
 * @param responseCode the response code's mnemonic, e.g. {@code NXDOMAIN}
 * @param resolvedIp the first address the name resolved to, or {@code null}
 * @param answers every answer record as {@code name ttl TYPE data}, in wire order
 * @param pid 0 when the query's sender was not seen
 * @param isThreat whether a threat feed lists the name or an answer (enricher-threat), or {@code
 *     null} when nothing checked
 * @param hostName the host that captured the answer, or {@code null}
 * @param eventUid the answer's stable id across copies ({@code lanthorn.event.id}), or {@code null}
 */
record DnsRow(
    long timestampNanos,
    String domain,
    String queryType,
    String responseCode,
    String resolvedIp,
    List<String> answers,
    String serverAddress,
    String transport,
    int pid,
    int tid,
    String processName,
    long cgroupId,
    String containerId,
    String containerName,
    String imageName,
    String attributionStatus,
    Boolean isThreat,
    String threatSource,
    String threatIndicator,
    String hostName,
    String eventUid) {

  DnsRow {
    answers = List.copyOf(answers);
  }
}
