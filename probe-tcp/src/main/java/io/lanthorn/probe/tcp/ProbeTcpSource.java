package io.lanthorn.probe.tcp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Counter;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventEmitter;
import io.lanthorn.api.EventSource;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.bpf.BpfException;
import io.lanthorn.bpf.BpfObject;
import io.lanthorn.bpf.MappedArray;
import io.lanthorn.bpf.PerCpuCounters;
import io.lanthorn.bpf.ProbeLoader;
import io.lanthorn.bpf.ProbeLoader.AttachedProbe;
import io.lanthorn.bpf.RecordHandler;
import io.lanthorn.bpf.RingBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * The {@code probe-tcp} event source: one {@link ConnectionEvent} per outbound TCP connection
 * attempt on the host, captured by an eBPF program on {@code sock/inet_sock_set_state}. Created
 * running by {@link ProbeTcpFactory}.
 *
 * <p>One reader thread sleeps on the ring buffer for {@code poll-interval} (or until the kernel
 * wakes it because {@code wakeup-threshold} bytes wait), decodes every record in place and hands
 * the batch to the emitter; then it reads the kernel's counters and reports any loss.
 */
public final class ProbeTcpSource implements EventSource {
  static final String OBJECT_NAME = "lanthorn_tcp";

  /** The program built for this JVM's architecture (the build makes one per architecture). */
  static final String ELF_RESOURCE = elfResource(System.getProperty("os.arch"));

  static final String LOST_DECODE_ERROR = "decode_error";

  private static final int MAX_BATCH = 1024;
  private static final long CLOCK_RESYNC_NANOS = 1_000_000_000L;
  private static final long FINAL_DRAIN_NANOS = 1_000_000_000L;
  private static final long UNKNOWN_LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final RecordDecoder decoder;
  private final List<Event> batch = new ArrayList<>(MAX_BATCH);
  private final RecordHandler handler = this::onRecord;

  private final ProbeTcpConfig config;
  private final Logger log;
  private final Clock clock;
  private final EventEmitter emitter;
  private final Counter emitted;
  private final AttachedProbe probe;
  private final RingBuffer ring;
  private final KernelCounters counters;
  private final InflightAttempts inflight;
  private final StaleAttempts staleAttempts;
  private final Thread reader;
  private volatile boolean running;
  private volatile long pendingBytes;
  private long wallClockOffset;
  private long lastClockSync;
  private boolean stopped;
  private boolean released;
  private long loggedUnknownCgroups;
  private long lastUnknownLog = System.nanoTime() - UNKNOWN_LOG_INTERVAL_NANOS;

  private ProbeTcpSource(
      ProbeTcpConfig config,
      PluginContext context,
      AttachedProbe probe,
      RingBuffer ring,
      KernelCounters counters,
      InflightAttempts inflight) {
    this.config = config;
    this.log = context.logger();
    this.clock = context.clock();
    this.emitter = context.emitter();
    this.decoder = new RecordDecoder(context.hostName());
    this.probe = probe;
    this.ring = ring;
    this.counters = counters;
    this.inflight = inflight;
    this.staleAttempts =
        new StaleAttempts(inflight, config.inflightTimeout(), config.pollInterval(), log);
    this.emitted = context.metrics().counter("events", "connection events handed to the pipeline");
    this.reader = Thread.ofPlatform().name("probe-tcp-reader").daemon().unstarted(this::readLoop);
  }

  /**
   * Loads and attaches the program and starts reading: an attempt that begins after this returns is
   * emitted to the context's emitter.
   *
   * @throws PluginException naming what the kernel or the privileges lack
   */
  static ProbeTcpSource start(ProbeTcpConfig config, PluginContext context) throws PluginException {
    Logger log = context.logger();
    Optional<String> tooOld = KernelRelease.current().flatMap(KernelRelease::refusal);
    if (tooOld.isPresent()) {
      throw new PluginException(tooOld.get());
    }
    AttachedProbe probe = null;
    RingBuffer ring = null;
    InflightAttempts inflight = null;
    ProbeTcpSource source;
    try {
      probe =
          new ProbeLoader(OBJECT_NAME, programImage(), log)
              .load(
                  config.inbound()
                      ? TcpAttachStrategies.withListenHook(config.attach(), log)
                      : TcpAttachStrategies.forNames(config.attach()),
                  object -> configure(object, config));
      BpfObject object = probe.object();
      ring = RingBuffer.open(object.map("lt_tcp_events"));
      KernelCounters counters =
          new KernelCounters(
              new PerCpuCounters(object.map("lt_tcp_counters")), probe.programs(), log);
      inflight =
          new InflightAttempts(
              MappedArray.open(object.map("lt_tcp_slots")), object.map("lt_tcp_inflight"));
      source = new ProbeTcpSource(config, context, probe, ring, counters, inflight);
    } catch (BpfException e) {
      release(inflight, ring, probe); // no reader runs yet
      throw new PluginException("probe-tcp cannot start: " + e.getMessage(), e);
    }
    source.begin(context);
    return source;
  }

  private void begin(PluginContext context) {
    counters.register(context.metrics());
    context
        .metrics()
        .gauge("ring.pending_bytes", "bytes waiting in the kernel ring buffer", () -> pendingBytes);
    context
        .metrics()
        .gauge(
            "events.unknown_cgroup",
            "events whose cgroup's name the reader no longer held: cgroupName is null",
            decoder::unknownCgroups);
    context
        .metrics()
        .gauge(
            "events.unknown_process",
            "events whose process image the reader no longer held: commandLine is null",
            decoder::unknownProcesses);
    syncClock();
    running = true;
    reader.start();
    log.info(
        "capturing TCP connection attempts (ring {} bytes, wake-up at {} bytes, poll every {})",
        config.ringSize(),
        config.wakeupThreshold(),
        config.pollInterval().toMillis() + "ms");
  }

  private static void configure(BpfObject object, ProbeTcpConfig config) {
    object.map("lt_tcp_events").setMaxEntries(config.ringSize());
    object.map("lt_tcp_slots").setMaxEntries(config.inflightEntries());
    object.map("lt_tcp_inflight").setMaxEntries(config.inflightEntries());
    object.setConstant("inflight_slots", config.inflightEntries());
    object.setConstant("wakeup_threshold", config.wakeupThreshold());
    object.setConstant("capture_argv", config.captureArgv() ? 1 : 0);
    object.setConstant("follow_inbound", config.inbound() ? 1 : 0);
    object.setConstant("follow_lifetime", config.lifetime() ? 1 : 0);
    object.map("lt_tcp_lifetimes").setMaxEntries(config.lifetimeEntries());
  }

  /** The object built for an architecture: {@code __TARGET_ARCH_x86} or {@code _arm64}. */
  static String elfResource(String osArch) {
    return switch (osArch) {
      case "amd64", "x86_64" -> "tcp_probe.x86.bpf.o";
      case "aarch64" -> "tcp_probe.arm64.bpf.o";
      default -> "tcp_probe." + osArch + ".bpf.o"; // not built: reported as missing
    };
  }

  private static byte[] programImage() {
    try (InputStream in = ProbeTcpSource.class.getResourceAsStream(ELF_RESOURCE)) {
      if (in == null) {
        throw new BpfException(ELF_RESOURCE + " is missing from the probe-tcp jar: rebuild it");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new BpfException("cannot read " + ELF_RESOURCE + " from the probe-tcp jar", e);
    }
  }

  private void readLoop() {
    try {
      while (running) {
        ring.poll(config.pollInterval(), handler);
        flush();
        if (System.nanoTime() - lastClockSync > CLOCK_RESYNC_NANOS) {
          syncClock();
        }
        counters.refresh(emitter, false);
        logUnknownCgroups();
        staleAttempts.sweepIfDue(emitter);
        pendingBytes = ring.pendingBytes();
      }
    } catch (RuntimeException e) {
      // Without a reader the kernel's counters still count what is lost from here on.
      log.error("probe-tcp reader failed; connection events are no longer read", e);
    }
  }

  private void onRecord(MemorySegment buffer, long offset, int length) {
    int kind = length > 0 ? Byte.toUnsignedInt(buffer.get(JAVA_BYTE, offset)) : 0;
    if (kind == RecordLayout.KIND_PROCESS && length == RecordLayout.PROCESS_SIZE) {
      try {
        decoder.learnProcess(buffer, offset);
      } catch (RuntimeException e) {
        // Not an attempt: its connections lack a command line and cgroup name, nothing more.
        log.error("cannot decode a process record", e);
      }
      return;
    }
    if (kind == RecordLayout.KIND_ACCEPT || kind == RecordLayout.KIND_CLOSE) {
      onAcceptOrClose(buffer, offset, length, kind);
      return;
    }
    onConnection(buffer, offset, length, kind);
  }

  private void onAcceptOrClose(MemorySegment buffer, long offset, int length, int kind) {
    boolean accept = kind == RecordLayout.KIND_ACCEPT;
    try {
      long expected = accept ? RecordLayout.ACCEPT_SIZE : RecordLayout.CLOSE_SIZE;
      if (length != expected) {
        throw new IllegalStateException(
            "record of kind " + kind + " and " + length + " bytes, expected " + expected);
      }
      batch.add(
          accept
              ? decoder.decodeAccept(buffer, offset, wallClockOffset)
              : decoder.decodeClose(buffer, offset, wallClockOffset));
    } catch (RuntimeException e) {
      log.error("cannot decode an {} record", accept ? "accept" : "close", e);
      emitter.reportLost(LOST_DECODE_ERROR, 1);
    }
    if (batch.size() >= MAX_BATCH) {
      flush();
    }
  }

  private void onConnection(MemorySegment buffer, long offset, int length, int kind) {
    try {
      if (kind != RecordLayout.KIND_CONNECTION || length != RecordLayout.SIZE) {
        // Only a kernel program built from another tcp_event.h could write this.
        throw new IllegalStateException(
            "record of kind "
                + kind
                + " and "
                + length
                + " bytes, expected a connection record of "
                + RecordLayout.SIZE);
      }
      batch.add(decoder.decode(buffer, offset, wallClockOffset));
    } catch (RuntimeException e) {
      log.error("cannot decode a connection record", e);
      emitter.reportLost(LOST_DECODE_ERROR, 1);
    }
    if (batch.size() >= MAX_BATCH) {
      flush();
    }
  }

  private void flush() {
    if (!batch.isEmpty()) {
      emitter.emitAll(batch);
      emitted.add(batch.size());
      batch.clear();
    }
  }

  /**
   * Warns (at most every 10 s) about events whose cgroup name was forgotten: an enricher may take
   * them for host processes.
   */
  private void logUnknownCgroups() {
    long unknown = decoder.unknownCgroups();
    long now = System.nanoTime();
    if (unknown > loggedUnknownCgroups && now - lastUnknownLog >= UNKNOWN_LOG_INTERVAL_NANOS) {
      log.warn(
          "{} connection events lack their cgroup name: the reader had forgotten it (more than {}"
              + " cgroups in use within seconds); events.unknown_cgroup counts them",
          unknown - loggedUnknownCgroups,
          ProcessTable.CAPACITY);
      loggedUnknownCgroups = unknown;
      lastUnknownLog = now;
    }
  }

  private void syncClock() {
    wallClockOffset = WallClock.offsetNanos(clock);
    lastClockSync = System.nanoTime();
  }

  /**
   * Detaches the program, emits what is left in the ring, then every attempt still in its handshake
   * as {@code pending}, and reports the final loss.
   */
  @Override
  public void stop() throws InterruptedException {
    if (stopped || released) {
      return;
    }
    stopped = true;
    running = false;
    reader.join(); // within one poll interval
    probe.detach();
    // A program that began before the detach may still be writing a record: wait for it.
    long deadline = System.nanoTime() + FINAL_DRAIN_NANOS;
    do {
      ring.consume(handler);
    } while (ring.pendingBytes() > 0 && System.nanoTime() < deadline);
    flush();
    // Its own deadline: the drain may have used all of its own.
    int unreadable =
        inflight.forEach(
            attempt ->
                onConnection(attempt, 0, (int) attempt.byteSize(), RecordLayout.KIND_CONNECTION),
            System.nanoTime() + FINAL_DRAIN_NANOS);
    flush();
    if (unreadable > 0) {
      log.error("{} in-flight attempts were still being written a second after detach", unreadable);
      emitter.reportLost(LOST_DECODE_ERROR, unreadable);
    }
    counters.refresh(emitter, true);
    counters.reportEvicted(emitter, stillOpen());
    logUnknownCgroups();
    pendingBytes = ring.pendingBytes();
  }

  /**
   * Established connections still open at stop (their rows stay open). Counted from the LRU map; -1
   * when it cannot be read.
   */
  private long stillOpen() {
    long[] open = {0};
    try {
      probe.object().map("lt_tcp_lifetimes").forEach((key, value) -> open[0]++);
    } catch (BpfException e) {
      log.warn("cannot count the connections still open: {}", e.getMessage());
      return -1;
    }
    return open[0];
  }

  /** Unmaps the ring, detaches and unloads the program, frees its maps. Idempotent. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    if (reader.isAlive()) {
      reader.join(); // it may still be reading the ring release() unmaps; at most one poll
    }
    if (!released) {
      released = true;
      release(inflight, ring, probe);
    }
  }

  private static void release(InflightAttempts inflight, RingBuffer ring, AttachedProbe probe) {
    if (inflight != null) {
      inflight.close();
    }
    if (ring != null) {
      ring.close();
    }
    if (probe != null) {
      probe.close();
    }
  }

  /** The loaded probe, for tests that check what the kernel holds; {@code null} once closed. */
  AttachedProbe probe() {
    return released ? null : probe;
  }
}
