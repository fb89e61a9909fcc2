package io.lanthorn.probe.dns;

import io.lanthorn.probe.dns.DnsParser.Malformed;
import io.lanthorn.probe.dns.DnsParser.Parsed;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What happens to each captured response: parsed, counted, its answers put in the name cache under
 * the receiving socket's cgroup, and handed on (to become a DNS event).
 */
final class DnsResponseHandler implements Consumer<DnsResponseRecord> {
  private final DnsNameCache cache;
  private final Consumer<DnsObservation> downstream;
  private final AtomicLong parsed = new AtomicLong();
  private final AtomicLong incomplete = new AtomicLong();
  private final Map<DnsParser.Failure, AtomicLong> malformed =
      new EnumMap<>(DnsParser.Failure.class);

  /** A parsed response with what the kernel said about its receiver. */
  record DnsObservation(DnsResponseRecord record, DnsMessage message) {}

  DnsResponseHandler(DnsNameCache cache, Consumer<DnsObservation> downstream) {
    this.cache = cache;
    this.downstream = downstream;
    for (DnsParser.Failure f : DnsParser.Failure.values()) {
      malformed.put(f, new AtomicLong());
    }
  }

  @Override
  public void accept(DnsResponseRecord record) {
    DnsParser.Result result =
        record.transport() == DnsResponseRecord.TCP
            ? DnsParser.parseTcp(record.payload(), record.packetPayloadLength())
            : record.truncatedCopy()
                ? DnsParser.parse(record.payload(), 0, record.payload().length, true)
                : DnsParser.parseUdp(record.payload());
    switch (result) {
      case Malformed(DnsParser.Failure reason) -> malformed.get(reason).incrementAndGet();
      case Parsed(DnsMessage message) -> {
        parsed.incrementAndGet();
        if (!message.complete()) {
          incomplete.incrementAndGet();
        }
        for (DnsMessage.Resolution r : message.resolutions()) {
          cache.put(
              record.cgroupId(),
              r.address(),
              message.questionName(),
              r.ttlSeconds(),
              record.timestampNanos());
        }
        downstream.accept(new DnsObservation(record, message));
      }
    }
  }

  long parsed() {
    return parsed.get();
  }

  long incomplete() {
    return incomplete.get();
  }

  long malformed() {
    return malformed.values().stream().mapToLong(AtomicLong::get).sum();
  }

  long malformed(DnsParser.Failure reason) {
    return malformed.get(reason).get();
  }
}
