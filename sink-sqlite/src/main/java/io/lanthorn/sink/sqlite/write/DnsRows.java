package io.lanthorn.sink.sqlite.write;

import io.lanthorn.api.AddressText;
import io.lanthorn.api.DnsAnswer;
import io.lanthorn.api.DnsEvent;
import io.lanthorn.api.StandardAttributes;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The {@code dns_events} row of a {@link DnsEvent}. */
final class DnsRows {
  private DnsRows() {}

  static DnsRow of(DnsEvent event) {
    List<InetAddress> addresses = event.addresses();
    List<String> answers = new ArrayList<>(event.answers().size());
    for (DnsAnswer a : event.answers()) {
      String data =
          a.address() != null
              ? AddressText.of(a.address())
              : a.canonicalName() != null ? a.canonicalName() : "";
      answers.add(a.name() + " " + a.ttlSeconds() + " " + DnsEvent.typeName(a.type()) + " " + data);
    }
    return new DnsRow(
        event.timestampNanos(),
        event.questionName(),
        DnsEvent.typeName(event.questionType()),
        DnsEvent.responseCodeName(event.responseCode()),
        addresses.isEmpty() ? null : AddressText.of(addresses.getFirst()),
        answers,
        AddressText.of(event.serverAddress()),
        event.transport().name().toLowerCase(Locale.ROOT),
        event.pid(),
        event.tid(),
        event.comm(),
        event.cgroupId(),
        event.attribute(StandardAttributes.CONTAINER_ID),
        event.attribute(StandardAttributes.CONTAINER_NAME),
        event.attribute(StandardAttributes.CONTAINER_IMAGE_NAME),
        event.attribute(StandardAttributes.ATTRIBUTION_STATUS),
        event.attribute(StandardAttributes.THREAT_MATCHED),
        event.attribute(StandardAttributes.THREAT_SOURCE),
        event.attribute(StandardAttributes.THREAT_INDICATOR),
        event.hostName(),
        event.attribute(EventColumns.EVENT_ID));
  }
}
