package io.lanthorn.probe.dns;

import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Enricher;
import io.lanthorn.api.Metrics;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.bpf.BpfException;
import io.lanthorn.bpf.Cgroup2;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The {@code probe-dns} plugin as the current plugin API can hold it: an enricher that runs the
 * kernel capture itself and sets {@link #DOMAIN_NAME} on each connection whose address its cgroup
 * (or, failing that, any) resolved. When the kernel refuses the programs, it says why in one line
 * and lets events pass unnamed: the agent runs on without DNS.
 */
public final class ProbeDnsEnricher implements Enricher {
  /**
   * The domain name the connection's process resolved for its destination. OpenTelemetry's {@code
   * server.address}: "domain name if available without reverse DNS lookup".
   */
  public static final AttributeKey<String> DOMAIN_NAME = AttributeKey.stringKey("server.address");

  private DnsCapture capture;
  private DnsNameCache cache;
  private DnsResponseHandler handler;
  private Logger log;
  private Consumer<DnsResponseHandler.DnsObservation> observer = observation -> {};

  /** Does nothing: work begins in {@link #start}. */
  public ProbeDnsEnricher() {}

  @Override
  public String name() {
    return "probe-dns";
  }

  @Override
  public void start(PluginContext context) throws PluginException {
    ProbeDnsConfig config = ProbeDnsConfig.from(context.config());
    log = context.logger();
    cache = new DnsNameCache(config.cacheEntries(), config.ttlFloor());
    handler = new DnsResponseHandler(cache, observer);
    registerMetrics(context.metrics());
    try {
      DnsCapture.Settings settings =
          new DnsCapture.Settings(
              config.cgroupRoot().orElseGet(() -> Cgroup2.root(Cgroup2.MOUNTINFO)),
              config.ringSize(),
              config.wakeupThreshold(),
              config.ownerEntries(),
              config.pollInterval());
      capture = DnsCapture.start(settings, context.clock(), log, handler);
      log.info(
          "capturing DNS responses on cgroup {} (ring {} bytes, names kept at least {}s)",
          settings.cgroupRoot(),
          config.ringSize(),
          config.ttlFloor().toSeconds());
    } catch (BpfException e) {
      log.warn("DNS names are off, connections keep their addresses only: {}", e.getMessage());
    }
  }

  private void registerMetrics(Metrics metrics) {
    metrics.gauge("responses", "DNS responses seen by the kernel", () -> kernel("responses"));
    metrics.gauge("parsed", "DNS responses parsed", () -> handler.parsed());
    metrics.gauge("malformed", "DNS responses that could not be read", () -> handler.malformed());
    metrics.gauge(
        "incomplete",
        "DNS responses read in part (cut at 512 bytes or malformed after some answers)",
        () -> handler.incomplete());
    metrics.gauge(
        "lost.ring_full",
        "DNS responses lost: the kernel ring buffer was full",
        () -> kernel("ring_full"));
    metrics.gauge(
        "unknown_owner",
        "DNS responses whose query was not seen (sent before attach)",
        () -> kernel("unknown_owner"));
    metrics.gauge("names.hit", "connections named by their own cgroup's answer", cache::hits);
    metrics.gauge(
        "names.host_wide", "connections named by another cgroup's answer", cache::hostWideHits);
    metrics.gauge("names.miss", "connections left without a name", cache::misses);
  }

  private long kernel(String counter) {
    DnsCapture c = capture;
    return c == null ? 0 : c.counter(counter);
  }

  @Override
  public ConnectionEvent enrich(ConnectionEvent event) {
    Optional<String> name =
        cache.lookup(event.cgroupId(), event.destinationAddress(), event.timestampNanos());
    return name.map(n -> event.withAttribute(DOMAIN_NAME, n)).orElse(event);
  }

  @Override
  public void enrichAll(List<ConnectionEvent> batch) {
    DnsCapture c = capture;
    if (c != null) {
      // A response may still wait in the ring while the connection it names is here already.
      c.drain();
    }
    batch.replaceAll(this::enrich);
  }

  /** Receives every parsed response; for tests, before {@link #start}. */
  void observe(Consumer<DnsResponseHandler.DnsObservation> newObserver) {
    this.observer = newObserver;
  }

  /** The kernel capture, or null when the kernel refused it. */
  DnsCapture capture() {
    return capture;
  }

  DnsResponseHandler handler() {
    return handler;
  }

  DnsNameCache cache() {
    return cache;
  }

  @Override
  public void close() throws InterruptedException {
    DnsCapture c = capture;
    if (c != null) {
      // Stopped and closed, but kept: its last counters stay readable.
      c.stop();
      c.close();
    }
  }
}
