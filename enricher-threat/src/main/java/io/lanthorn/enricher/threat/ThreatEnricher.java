package io.lanthorn.enricher.threat;

import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.ConnectionCloseEvent;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.DnsAnswer;
import io.lanthorn.api.DnsEvent;
import io.lanthorn.api.Enricher;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventKind;
import io.lanthorn.api.EventSource;
import io.lanthorn.api.InboundAcceptEvent;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.ThreatFeedEvent;
import io.lanthorn.api.UdpFlowEvent;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Flags events whose peer address or DNS name a feed lists: {@link
 * StandardAttributes#THREAT_MATCHED}, {@link StandardAttributes#THREAT_SOURCE} (the feeds) and
 * {@link StandardAttributes#THREAT_INDICATOR} (the entry). Connections are checked by destination
 * address and by the name probe-dns gave them; DNS answers by the names and addresses they hold.
 */
final class ThreatEnricher implements Enricher, EventSource {
  /** The domain probe-dns names a connection with (stored as upstream's events.domain_name). */
  static final AttributeKey<String> DOMAIN = StandardAttributes.DOMAIN_NAME;

  private static final Set<EventKind> KINDS =
      Set.of(EventKind.TCP_CONNECT, EventKind.TCP_ACCEPT, EventKind.UDP_SEND, EventKind.DNS_ANSWER);

  private final ThreatIndex index;
  private final FeedRefresher refresher;
  private final FeedReporter reporter;
  private final Logger log;
  private final Map<String, Boolean> warned;

  ThreatEnricher(
      ThreatIndex index,
      FeedRefresher refresher,
      FeedReporter reporter,
      Logger log,
      int warnedPairs) {
    this.index = index;
    this.refresher = refresher;
    this.reporter = reporter;
    this.log = log;
    this.warned =
        new LinkedHashMap<>(64, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > warnedPairs;
          }
        };
  }

  @Override
  public Set<EventKind> kinds() {
    return KINDS;
  }

  @Override
  public Event enrich(Event event) {
    // Connections first, outside the switch: nearly every event is one, and the type test is
    // cheaper than the pattern switch's dispatch.
    ThreatMatch match =
        event instanceof ConnectionEvent connection
            ? index.match(connection.destinationAddress(), connection.attribute(DOMAIN))
            : matchOther(event);
    if (match == null) {
      return event.withAttribute(StandardAttributes.THREAT_MATCHED, false);
    }
    for (FeedState feed : match.feeds()) {
      feed.hits().increment();
    }
    warnOnce(event, match);
    return event.withAttributes(
        event.attributes().toBuilder()
            .put(StandardAttributes.THREAT_MATCHED, true)
            .put(StandardAttributes.THREAT_SOURCE, match.source())
            .put(StandardAttributes.THREAT_INDICATOR, match.indicator())
            .build());
  }

  private ThreatMatch matchOther(Event event) {
    return switch (event) {
      case ConnectionEvent c -> index.match(c.destinationAddress(), c.attribute(DOMAIN));
      case UdpFlowEvent u -> index.match(u.destinationAddress(), u.attribute(DOMAIN));
      case InboundAcceptEvent a -> index.match(a.remoteAddress(), null);
      case DnsEvent d -> matchDns(d);
      // Not in kinds(): the agent hands none (a close's opening event was checked already).
      case ThreatFeedEvent f -> null;
      case ConnectionCloseEvent c -> null;
    };
  }

  private static List<String> names(Event event) {
    String domain = event.attribute(DOMAIN);
    return domain == null ? List.of() : List.of(domain);
  }

  private ThreatMatch matchDns(DnsEvent dns) {
    List<String> names = new ArrayList<>(1 + dns.answers().size());
    List<InetAddress> addresses = new ArrayList<>(dns.answers().size());
    names.add(dns.questionName());
    for (DnsAnswer answer : dns.answers()) {
      if (answer.canonicalName() != null) {
        names.add(answer.canonicalName());
      }
      if (answer.address() != null) {
        addresses.add(answer.address());
      }
    }
    return index.match(addresses, names);
  }

  private void warnOnce(Event event, ThreatMatch match) {
    String container = event.attribute(StandardAttributes.CONTAINER_NAME);
    String who =
        container != null
            ? "container " + container
            : "process " + event.comm() + " (pid " + event.pid() + ")";
    String key = who + "\u0000" + match.indicator();
    synchronized (warned) {
      if (warned.put(key, Boolean.TRUE) != null) {
        return;
      }
    }
    String what =
        switch (event) {
          case ConnectionEvent c -> "connected to " + peer(c.destinationAddress(), names(c));
          case UdpFlowEvent u -> "sent UDP to " + peer(u.destinationAddress(), names(u));
          case InboundAcceptEvent a ->
              "accepted a connection from " + a.remoteAddress().getHostAddress();
          case DnsEvent d -> "resolved " + d.questionName();
          case ConnectionCloseEvent c ->
              "closed a connection with " + c.remoteAddress().getHostAddress();
          case ThreatFeedEvent f -> "reported feed " + f.feedName();
        };
    log.warn(
        "threat: {} {}, listed as {} by feed {} (further matches of this pair are counted, not"
            + " logged)",
        who,
        what,
        match.indicator(),
        match.source());
  }

  private static String peer(InetAddress address, List<String> names) {
    return names.isEmpty()
        ? address.getHostAddress()
        : names.getFirst() + " (" + address.getHostAddress() + ")";
  }

  /**
   * Feed reports ({@link FeedReporter}) end; matching goes on until close. The agent calls it, as
   * for every {@link EventSource}, before it drains the pipeline.
   */
  @Override
  public void stop() {
    if (reporter != null) {
      reporter.stop();
    }
  }

  @Override
  public void close() {
    refresher.close();
  }
}
