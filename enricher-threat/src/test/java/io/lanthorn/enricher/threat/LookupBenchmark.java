package io.lanthorn.enricher.threat;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.Protocol;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.testkit.TestMetrics;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Prints lookups per second against 1 M mixed feed entries (IPv4 addresses and ranges, IPv6 ranges,
 * domains), and the enricher's cost per connection event. A main, not a test: figures go to
 * docs/benchmarks.md, never into assertions. Run after {@code ./mvnw verify -pl enricher-threat
 * -am}:
 *
 * <pre>
 * java -cp enricher-threat/target/classes:enricher-threat/target/test-classes:$(ls api/target/lanthorn-api-*.jar | head -1):api-testkit/target/classes:$HOME/.m2/repository/org/slf4j/slf4j-api/2.0.20/slf4j-api-2.0.20.jar \
 *   io.lanthorn.enricher.threat.LookupBenchmark
 * </pre>
 */
public final class LookupBenchmark {
  private static final int ENTRIES = 1_000_000;
  private static final int PROBES = 1 << 18;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private LookupBenchmark() {}

  public static void main(String[] args) throws Exception {
    Random random = new Random(42);
    StringBuilder ips = new StringBuilder();
    StringBuilder names = new StringBuilder();
    for (int i = 0; i < ENTRIES * 6 / 10; i++) {
      int a = random.nextInt();
      ips.append(v4(a));
      if (i % 3 == 0) {
        ips.append('/').append(16 + random.nextInt(17));
      }
      ips.append('\n');
    }
    for (int i = 0; i < ENTRIES * 2 / 10; i++) {
      ips.append(
          String.format("2001:db8:%x:%x::/64%n", random.nextInt(0x10000), random.nextInt(0x10000)));
    }
    for (int i = 0; i < ENTRIES * 2 / 10; i++) {
      names.append("host").append(i).append(".evil").append(i % 1000).append(".example\n");
    }
    long t0 = THREADS.getCurrentThreadCpuTime();
    FeedContent ipFeed = FeedParser.parse(ips.toString(), FeedFormat.IP);
    FeedContent nameFeed = FeedParser.parse(names.toString(), FeedFormat.DOMAIN);
    long parseMs = (THREADS.getCurrentThreadCpuTime() - t0) / 1_000_000;
    System.out.printf(
        "entries: %d ip/cidr (%d disjoint ranges), %d domains; parsed in %d ms CPU%n",
        ipFeed.entries(), ipFeed.addresses().size(), nameFeed.entries(), parseMs);

    InetAddress[] v4 = new InetAddress[PROBES];
    InetAddress[] v6 = new InetAddress[PROBES];
    String[] domains = new String[PROBES];
    for (int i = 0; i < PROBES; i++) {
      v4[i] = InetAddress.getByAddress(intBytes(random.nextInt()));
      v6[i] =
          Addresses.literal(
              String.format("2001:db8:%x:%x::1", random.nextInt(0x10000), random.nextInt(0x10000)));
      domains[i] =
          random.nextBoolean()
              ? "www.host"
                  + random.nextInt(ENTRIES / 5)
                  + ".evil"
                  + random.nextInt(1000)
                  + ".example"
              : "cdn" + random.nextInt(1_000_000) + ".good.example";
    }
    for (int round = 0; round < 3; round++) {
      System.out.printf(
          "round %d: IPv4 %.0f, IPv6 %.0f, domain %.0f CPU ns/lookup%n",
          round,
          time(i -> ipFeed.matchAddress(v4[i])),
          time(i -> ipFeed.matchAddress(v6[i])),
          time(i -> nameFeed.matchName(domains[i])));
    }

    FeedState ipState = state("ips", FeedFormat.IP, ipFeed);
    FeedState nameState = state("names", FeedFormat.DOMAIN, nameFeed);
    ThreatEnricher enricher =
        new ThreatEnricher(
            new ThreatIndex(List.of(ipState, nameState), Allowlist.NONE),
            null,
            null,
            org.slf4j.helpers.NOPLogger.NOP_LOGGER,
            10_000);
    // The common case: destinations and names no feed lists (each one checked against both).
    ConnectionEvent[] clean = new ConnectionEvent[4096];
    for (int i = 0, probe = 0; i < clean.length; probe++) {
      if (ipFeed.matchAddress(v4[probe]) == null && nameFeed.matchName(domains[probe]) == null) {
        clean[i] = event(i, v4[probe], domains[probe]);
        i++;
      }
    }
    // Half the names and some of the addresses listed: the match path (attributes, warning).
    ConnectionEvent[] mixed = new ConnectionEvent[4096];
    for (int i = 0; i < mixed.length; i++) {
      mixed[i] = event(i, v4[i], domains[i]);
    }
    Event[] sink = new Event[1];
    for (int round = 0; round < 3; round++) {
      System.out.printf(
          "round %d: enrich() %.0f CPU ns per unlisted connection event (destination + domain"
              + " against both feeds, %d attributes before), of which adding is_threat = 0 %.0f;"
              + " %.0f with half of them listed%n",
          round,
          time(i -> sink[0] = enricher.enrich(clean[i & (clean.length - 1)])),
          clean[0].attributes().size(),
          time(
              i ->
                  sink[0] =
                      clean[i & (clean.length - 1)].withAttribute(
                          StandardAttributes.THREAT_MATCHED, false)),
          time(i -> sink[0] = enricher.enrich(mixed[i & (mixed.length - 1)])));
    }
  }

  private static ConnectionEvent event(int i, InetAddress destination, String domain) {
    return ConnectionEvent.builder()
        .family(AddressFamily.INET)
        .protocol(Protocol.TCP)
        .sourceAddress(Addresses.literal("10.0.0.1"))
        .sourcePort(40000)
        .destinationAddress(destination)
        .destinationPort(443)
        .timestampNanos(i)
        .kernelTimeNanos(i)
        .pid(1000 + i % 50)
        .tid(1000)
        .comm("bench")
        .outcome(Outcome.ESTABLISHED)
        .handshakeNanos(1000)
        .attributes(containerAttributes(i, domain))
        .build();
  }

  /** What enricher-docker and probe-dns give a container's connection before this enricher. */
  private static Attributes containerAttributes(int i, String domain) {
    return Attributes.builder()
        .put(StandardAttributes.CONTAINER_ID, "c0ffee" + i % 20)
        .put(StandardAttributes.CONTAINER_NAME, "web-" + i % 20)
        .put(StandardAttributes.CONTAINER_RUNTIME, "docker")
        .put(StandardAttributes.CONTAINER_IMAGE_NAME, "nginx:1.27")
        .put(StandardAttributes.CONTAINER_IMAGE_ID, "sha256:0123456789abcdef")
        .put(StandardAttributes.CONTAINER_LABELS, Map.of("team", "payments"))
        .put(StandardAttributes.COMPOSE_PROJECT, "shop")
        .put(StandardAttributes.COMPOSE_SERVICE, "web")
        .put(StandardAttributes.ATTRIBUTION_STATUS, StandardAttributes.ATTRIBUTION_ATTRIBUTED)
        .put(ThreatEnricher.DOMAIN, domain)
        .build();
  }

  private interface Probe {
    Object run(int i);
  }

  /**
   * This thread's CPU nanoseconds per call over several passes of the probes: CPU time, not wall
   * time, so that other processes on a shared machine do not count.
   */
  private static double time(Probe probe) {
    int calls = 0;
    Object last = null;
    long start = THREADS.getCurrentThreadCpuTime();
    for (int pass = 0; pass < 4; pass++) {
      for (int i = 0; i < PROBES; i++) {
        last = probe.run(i);
        calls++;
      }
    }
    long elapsed = THREADS.getCurrentThreadCpuTime() - start;
    if (last == LookupBenchmark.class) {
      System.out.println(); // keeps the JIT from dropping the calls
    }
    return (double) elapsed / calls;
  }

  private static FeedState state(String name, FeedFormat format, FeedContent content) {
    FeedState state =
        new FeedState(
            new FeedSpec(name, URI.create("file:///unused"), format, Duration.ofHours(1)),
            null,
            null,
            Clock.systemUTC(),
            org.slf4j.helpers.NOPLogger.NOP_LOGGER,
            0.1,
            new TestMetrics().counter("hits", ""));
    state.replace(content);
    return state;
  }

  private static String v4(int a) {
    return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
  }

  private static byte[] intBytes(int a) {
    return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
  }
}
