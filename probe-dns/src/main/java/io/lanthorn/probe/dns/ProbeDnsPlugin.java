package io.lanthorn.probe.dns;

import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.DnsAnswer;
import io.lanthorn.api.DnsEvent;
import io.lanthorn.api.Enricher;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventEmitter;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.EventKind;
import io.lanthorn.api.EventSource;
import io.lanthorn.api.Metrics;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.Protocol;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.bpf.BpfException;
import io.lanthorn.bpf.Cgroup2;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The running {@code probe-dns}: as a source it emits a {@link DnsEvent} per DNS answer a socket
 * received; as an enricher it sets {@link #DOMAIN_NAME} on each connection whose address its cgroup
 * (or, failing that, any) resolved. When the kernel refuses the programs, it says why in one line
 * and does nothing: the agent runs on without DNS.
 *
 * <p>Responses are read by the capture's reader thread, and also by the enricher's thread just
 * before it looks names up (a response may still wait in the ring while the connection it names is
 * already being enriched). Either only updates the cache and queues the event; only the reader
 * thread emits, so that the enricher never blocks on the pipeline it is part of.
 */
public final class ProbeDnsPlugin implements EventSource, Enricher {
  /** The api's domain attribute, set on each connection this plugin names. */
  public static final AttributeKey<String> DOMAIN_NAME = StandardAttributes.DOMAIN_NAME;

  private static final int DNS_PORT = 53;

  /** The loss reason of answers the kernel ring had no room for. */
  static final String LOST_RING_FULL = "dns_ring_full";

  private final DnsCapture capture;
  private final DnsNameCache cache;
  private final DnsResponseHandler handler;
  private final Queue<DnsEvent> pending;
  private final EventEmitter emitter;
  private final Thread emitterThread;
  private volatile boolean running = true;
  private long reportedRingFull;

  private ProbeDnsPlugin(
      DnsCapture capture,
      DnsNameCache cache,
      DnsResponseHandler handler,
      Queue<DnsEvent> pending,
      EventEmitter emitter,
      long pollMillis) {
    this.capture = capture;
    this.cache = cache;
    this.handler = handler;
    this.pending = pending;
    this.emitter = emitter;
    this.emitterThread =
        capture == null
            ? null
            : Thread.ofPlatform()
                .name("probe-dns-emitter")
                .daemon()
                .start(() -> emitLoop(pollMillis));
  }

  /** Starts capturing; never fails for want of kernel support (it logs why and runs idle). */
  static ProbeDnsPlugin start(ProbeDnsConfig config, PluginContext context) {
    return start(config, context, observation -> {});
  }

  /** The same, with every parsed response also handed to {@code observer} (for tests). */
  static ProbeDnsPlugin start(
      ProbeDnsConfig config,
      PluginContext context,
      Consumer<DnsResponseHandler.DnsObservation> observer) {
    Logger log = context.logger();
    DnsNameCache cache = new DnsNameCache(config.cacheEntries(), config.ttlFloor());
    Queue<DnsEvent> pending = new ConcurrentLinkedQueue<>();
    String host = context.hostName();
    DnsCapture capture = null;
    DnsResponseHandler handler = new DnsResponseHandler(cache, observation -> {});
    try {
      Path root = config.cgroupRoot().orElseGet(() -> Cgroup2.root(Cgroup2.MOUNTINFO));
      CgroupNames cgroups = new CgroupNames(root);
      handler =
          new DnsResponseHandler(
              cache,
              observation -> {
                DnsResponseRecord r = observation.record();
                // The kernel's name first: a --rm container's directory may be gone by now.
                String cgroupName =
                    r.cgroupName() != null ? r.cgroupName() : cgroups.nameOf(r.cgroupId());
                pending.add(event(observation, host, cgroupName));
                observer.accept(observation);
              });
      DnsCapture.Settings settings =
          new DnsCapture.Settings(
              root,
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
    ProbeDnsPlugin plugin =
        new ProbeDnsPlugin(
            capture, cache, handler, pending, context.emitter(), config.pollInterval().toMillis());
    plugin.registerMetrics(context.metrics());
    return plugin;
  }

  /** The API's DNS event for a parsed response. */
  static DnsEvent event(
      DnsResponseHandler.DnsObservation observation, String hostName, String cgroupName) {
    DnsResponseRecord r = observation.record();
    DnsMessage m = observation.message();
    List<DnsAnswer> answers = new ArrayList<>(m.answers().size());
    for (DnsMessage.Answer a : m.answers()) {
      answers.add(new DnsAnswer(a.name(), a.type(), a.ttlSeconds(), a.address(), a.target()));
    }
    EventHeader header =
        EventHeader.builder()
            .timestampNanos(r.timestampNanos())
            .kernelTimeNanos(r.kernelTimeNanos())
            .pid(r.pid())
            .tid(r.tid())
            .comm(r.comm())
            .cgroupId(r.cgroupId())
            .cgroupName(cgroupName)
            .hostName(hostName)
            .build();
    return new DnsEvent(
        header,
        m.questionName(),
        m.questionType(),
        m.responseCode(),
        answers,
        r.server(),
        DNS_PORT,
        r.transport() == DnsResponseRecord.TCP ? Protocol.TCP : Protocol.UDP,
        Attributes.empty());
  }

  private void registerMetrics(Metrics metrics) {
    metrics.gauge("responses", "DNS responses seen by the kernel", () -> kernel("responses"));
    metrics.gauge("parsed", "DNS responses parsed", handler::parsed);
    metrics.gauge("malformed", "DNS responses that could not be read", handler::malformed);
    metrics.gauge(
        "incomplete",
        "DNS responses read in part (cut at 512 bytes, or malformed after some answers)",
        handler::incomplete);
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
    return capture == null ? 0 : capture.counter(counter);
  }

  private void emitLoop(long pollMillis) {
    try {
      while (running) {
        emitPending();
        Thread.sleep(pollMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LoggerHolder.log(e);
    }
  }

  // The emitter thread, then stop() after joining it: one at a time.
  private synchronized void emitPending() {
    // Lost answers count as the source's loss: the status line and collection_health show them.
    long ringFull = kernel("ring_full");
    if (ringFull > reportedRingFull) {
      emitter.reportLost(LOST_RING_FULL, ringFull - reportedRingFull);
      reportedRingFull = ringFull;
    }
    List<Event> batch = new ArrayList<>();
    DnsEvent event;
    while ((event = pending.poll()) != null) {
      batch.add(event);
    }
    if (!batch.isEmpty()) {
      emitter.emitAll(batch);
    }
  }

  /**
   * {@code responses=… malformed=… unknown_owner=… named=… unnamed=…}: what the kernel saw, what
   * could not be read, answers whose asker was not seen, and connections named or not (named by
   * their own cgroup's answer or another's).
   */
  @Override
  public String status() {
    if (capture == null) {
      return "off";
    }
    return "responses="
        + kernel("responses")
        + " malformed="
        + handler.malformed()
        + " unknown_owner="
        + kernel("unknown_owner")
        + " named="
        + (cache.hits() + cache.hostWideHits())
        + " unnamed="
        + cache.misses();
  }

  /** Connections only: the other kinds carry no destination to name. */
  @Override
  public Set<EventKind> kinds() {
    return Set.of(EventKind.TCP_CONNECT);
  }

  @Override
  public Event enrich(Event event) {
    if (!(event instanceof ConnectionEvent connection)) {
      return event;
    }
    Optional<String> name =
        cache.lookup(
            connection.cgroupId(), connection.destinationAddress(), connection.timestampNanos());
    return name.isPresent() ? connection.withAttribute(DOMAIN_NAME, name.get()) : event;
  }

  @Override
  public void enrichAll(List<Event> batch) {
    if (capture != null) {
      // A response may still wait in the ring while the connection it names is here already.
      capture.drain();
    }
    batch.replaceAll(this::enrich);
  }

  /** Detaches, reads what is left in the ring, and emits every answer not yet emitted. */
  @Override
  public void stop() throws InterruptedException {
    running = false;
    if (emitterThread != null) {
      emitterThread.join();
    }
    if (capture != null) {
      capture.stop();
    }
    emitPending();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    if (emitterThread != null) {
      emitterThread.join();
    }
    if (capture != null) {
      capture.close();
    }
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

  private static final class LoggerHolder {
    private static void log(RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(ProbeDnsPlugin.class)
          .error("probe-dns: emitting DNS answers failed; no more are emitted", e);
    }
  }
}
