package io.lanthorn.web;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.sink.sqlite.SqliteSink;
import io.lanthorn.sink.sqlite.SqliteSinkFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a realistic multi-day history through sink-sqlite's own write path ({@code
 * SqliteSinkFactory} → {@code write}, batches of 1 024 like the launcher's pipeline), so that query
 * and dashboard timings can be measured at any size: {@code containers} containers, each talking to
 * its own handful of a pool of {@code destinations} (databases, caches, APIs shared by many; most
 * with a DNS name), from one to three processes each, a tenth of the connections from host
 * processes; busier destinations and containers get more of the traffic; about 3% of attempts fail
 * (refused, timed out, unreachable), concentrated on a few flaky destinations. Times run evenly
 * over the {@code span} before {@code now}, in order, as the agent writes them. Deterministic
 * (seeded).
 */
final class HistoryGenerator {
  private static final int BATCH = 1_024;
  private static final InetAddress SOURCE = InetAddress.ofLiteral("172.17.0.2");
  private static final int[] PORTS = {443, 5432, 6379, 8080, 9092, 3306, 27017, 53, 80, 11211};
  private static final String[] COMMS = {
    "java", "node", "python3", "nginx", "envoy", "curl", "wget", "postgres", "redis-server", "ruby"
  };

  /** One container's (or the host's) habits: who talks, to which destinations. */
  private static final class Talker {
    final String[] comms;
    final int[] destinations;
    final Attributes[] attributes;

    Talker(String[] comms, int[] destinations, Attributes[] attributes) {
      this.comms = comms;
      this.destinations = destinations;
      this.attributes = attributes;
    }
  }

  private final int containers;
  private final int destinations;
  private final SplittableRandom random = new SplittableRandom(42);
  private final InetAddress[] addresses;
  private final String[] domains;
  private final int[] ports;
  private final int[] failurePercent;
  private final Talker[] talkers;

  HistoryGenerator(int containers, int destinations) {
    this.containers = containers;
    this.destinations = destinations;
    addresses = new InetAddress[destinations];
    domains = new String[destinations];
    ports = new int[destinations];
    failurePercent = new int[destinations];
    for (int d = 0; d < destinations; d++) {
      addresses[d] =
          InetAddress.ofLiteral("10." + (d >> 16 & 255) + "." + (d >> 8 & 255) + "." + (d & 255));
      // Two in three have a name a DNS plugin would have seen resolved.
      domains[d] = d % 3 == 2 ? null : "svc-" + d + (d % 2 == 0 ? ".internal.test" : ".api.test");
      ports[d] = PORTS[d % PORTS.length];
      // Mostly healthy; one destination in twenty is flaky. Averages about 3%.
      failurePercent[d] = d % 20 == 7 ? 40 : 1;
    }
    talkers = new Talker[containers + 1];
    for (int c = 0; c <= containers; c++) {
      talkers[c] = talker(c == containers ? null : "shop-svc" + c % 60 + "-" + c);
    }
  }

  private Talker talker(String container) {
    int count = 3 + random.nextInt(10);
    int[] chosen = new int[count];
    Attributes[] attributes = new Attributes[count];
    String service = container == null ? null : container.substring(5, container.lastIndexOf('-'));
    for (int i = 0; i < count; i++) {
      // Skewed towards the low numbers: shared databases and caches are talked to by many.
      int d = (int) (destinations * Math.pow(random.nextDouble(), 2.5));
      chosen[i] = d;
      Attributes.Builder builder = Attributes.builder();
      if (container != null) {
        builder
            .put(
                StandardAttributes.CONTAINER_ID,
                "%064x".formatted(container.hashCode() & 0xffffffffL))
            .put(StandardAttributes.CONTAINER_NAME, container)
            .put(StandardAttributes.CONTAINER_IMAGE_NAME, "registry.test/" + service + ":1.4")
            .put(StandardAttributes.COMPOSE_PROJECT, "shop")
            .put(StandardAttributes.COMPOSE_SERVICE, service)
            .put(StandardAttributes.ATTRIBUTION_STATUS, StandardAttributes.ATTRIBUTION_ATTRIBUTED);
      }
      if (domains[d] != null) {
        builder.put(StandardAttributes.DOMAIN_NAME, domains[d]);
      }
      attributes[i] = builder.build();
    }
    String[] comms = new String[1 + random.nextInt(3)];
    for (int i = 0; i < comms.length; i++) {
      comms[i] = COMMS[random.nextInt(COMMS.length)];
    }
    return new Talker(comms, chosen, attributes);
  }

  /** Writes {@code events} attempts over the {@code span} before {@code now} into the file. */
  void write(Path database, long events, Duration span, Instant now) throws Exception {
    Instant start = now.minus(span);
    long stepNanos = span.toNanos() / events;
    long startNanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
    try (SqliteSink sink =
        new SqliteSinkFactory()
            .create(
                TestPluginContext.forPlugin("sink-sqlite")
                    .with(Map.of("path", database.toString(), "retention", "0"))
                    .withClock(Clock.fixed(now, java.time.ZoneOffset.UTC)))) {
      List<ConnectionEvent> batch = new ArrayList<>(BATCH);
      for (long i = 0; i < events; i++) {
        batch.add(event(startNanos + i * stepNanos + random.nextLong(stepNanos)));
        if (batch.size() == BATCH) {
          sink.write(batch);
          batch.clear();
        }
      }
      sink.write(batch);
    }
  }

  private ConnectionEvent event(long timestampNanos) {
    // One in ten from the host; containers with low numbers are busier.
    int c =
        random.nextInt(10) == 0
            ? containers
            : (int) (containers * Math.pow(random.nextDouble(), 1.5));
    Talker talker = talkers[c];
    int pick = (int) (talker.destinations.length * Math.pow(random.nextDouble(), 2));
    int d = talker.destinations[pick];
    Outcome outcome = Outcome.ESTABLISHED;
    int errno = 0;
    if (random.nextInt(100) < failurePercent[d]) {
      int kind = random.nextInt(3);
      outcome = kind == 0 ? Outcome.REFUSED : kind == 1 ? Outcome.TIMED_OUT : Outcome.UNREACHABLE;
      errno = kind == 0 ? 111 : kind == 1 ? 110 : 113;
    }
    int pid = 1000 + c * 7 + pick % talker.comms.length;
    return ConnectionEvent.builder()
        .family(AddressFamily.INET)
        .sourceAddress(SOURCE)
        .sourcePort(32_768 + random.nextInt(28_000))
        .destinationAddress(addresses[d])
        .destinationPort(ports[d])
        .timestampNanos(timestampNanos)
        .kernelTimeNanos(timestampNanos - 1_700_000_000_000_000_000L)
        .pid(pid)
        .tid(pid)
        .uid(c == containers ? 1000 : 0)
        .gid(c == containers ? 1000 : 0)
        .comm(talker.comms[pick % talker.comms.length])
        .commandLine(talker.comms[pick % talker.comms.length] + " --serve")
        .cgroupId(10_000 + c)
        .cgroupName(c == containers ? "session-1.scope" : "docker-" + c + ".scope")
        .outcome(outcome)
        .errno(errno)
        .handshakeNanos(
            outcome == Outcome.TIMED_OUT ? 3_000_000_000L : 20_000 + random.nextInt(2_000_000))
        .attributes(talker.attributes[pick])
        .build();
  }
}
