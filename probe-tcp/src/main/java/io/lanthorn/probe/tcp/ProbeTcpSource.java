package io.lanthorn.probe.tcp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Counter;
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
import org.slf4j.Logger;

/**
 * The {@code probe-tcp} event source: one {@link ConnectionEvent} per outbound TCP connection
 * attempt on the host, captured by an eBPF program on {@code sock/inet_sock_set_state}.
 *
 * <p>One reader thread sleeps on the ring buffer for {@code poll-interval} (or until the kernel
 * wakes it because {@code wakeup-threshold} bytes wait), decodes every record in place and hands
 * the batch to the emitter; then it reads the kernel's counters and reports any loss.
 */
public final class ProbeTcpSource implements EventSource {
  static final String OBJECT_NAME = "lanthorn_tcp";
  static final String ELF_RESOURCE = "tcp_probe.bpf.o";
  static final String LOST_DECODE_ERROR = "decode_error";

  private static final int MAX_BATCH = 1024;
  private static final long CLOCK_RESYNC_NANOS = 1_000_000_000L;
  private static final long FINAL_DRAIN_NANOS = 1_000_000_000L;
  private static final long UNKNOWN_LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final RecordDecoder decoder = new RecordDecoder();
  private final List<ConnectionEvent> batch = new ArrayList<>(MAX_BATCH);
  private final RecordHandler handler = this::onRecord;

  private ProbeTcpConfig config;
  private Logger log;
  private Clock clock;
  private EventEmitter emitter;
  private Counter emitted;
  private AttachedProbe probe;
  private RingBuffer ring;
  private KernelCounters counters;
  private InflightAttempts inflight;
  private StaleAttempts staleAttempts;
  private Thread reader;
  private volatile boolean running;
  private volatile long pendingBytes;
  private long wallClockOffset;
  private long lastClockSync;
  private boolean stopped;
  private long loggedUnknownCgroups;
  private long lastUnknownLog = System.nanoTime() - UNKNOWN_LOG_INTERVAL_NANOS;

  /** Does nothing: work begins in {@link #start}. */
  public ProbeTcpSource() {}

  @Override
  public String name() {
    return "probe-tcp";
  }

  @Override
  public void start(PluginContext context, EventEmitter emitter) throws PluginException {
    this.config = ProbeTcpConfig.from(context.config());
    this.log = context.logger();
    this.clock = context.clock();
    this.emitter = emitter;
    try {
      probe =
          new ProbeLoader(OBJECT_NAME, programImage(), log)
              .load(TcpAttachStrategies.forNames(config.attach()), this::configure);
      BpfObject object = probe.object();
      ring = RingBuffer.open(object.map("lt_tcp_events"));
      counters =
          new KernelCounters(
              new PerCpuCounters(object.map("lt_tcp_counters")), probe.programs(), log);
      inflight =
          new InflightAttempts(
              MappedArray.open(object.map("lt_tcp_slots")), object.map("lt_tcp_inflight"));
      staleAttempts =
          new StaleAttempts(inflight, config.inflightTimeout(), config.pollInterval(), log);
    } catch (BpfException e) {
      release(); // no reader runs yet
      throw new PluginException("probe-tcp cannot start: " + e.getMessage(), e);
    }
    emitted = context.metrics().counter("events", "connection events handed to the pipeline");
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
    reader = Thread.ofPlatform().name("probe-tcp-reader").daemon().start(this::readLoop);
    log.info(
        "capturing TCP connection attempts (ring {} bytes, wake-up at {} bytes, poll every {})",
        config.ringSize(),
        config.wakeupThreshold(),
        config.pollInterval().toMillis() + "ms");
  }

  private void configure(BpfObject object) {
    object.map("lt_tcp_events").setMaxEntries(config.ringSize());
    object.map("lt_tcp_slots").setMaxEntries(config.inflightEntries());
    object.map("lt_tcp_inflight").setMaxEntries(config.inflightEntries());
    object.setConstant("inflight_slots", config.inflightEntries());
    object.setConstant("wakeup_threshold", config.wakeupThreshold());
    object.setConstant("capture_argv", config.captureArgv() ? 1 : 0);
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
    onConnection(buffer, offset, length, kind);
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
    if (reader == null || stopped || probe == null) { // never started, or closed
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
    logUnknownCgroups();
    pendingBytes = ring.pendingBytes();
  }

  /** Unmaps the ring, detaches and unloads the program, frees its maps. Idempotent. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    if (reader != null) {
      reader.join(); // it may still be reading the ring release() unmaps; at most one poll
    }
    release();
  }

  private void release() {
    if (inflight != null) {
      inflight.close();
      inflight = null;
    }
    if (ring != null) {
      ring.close();
      ring = null;
    }
    if (probe != null) {
      probe.close();
      probe = null;
    }
  }

  /** The loaded probe, for tests that check what the kernel holds. */
  AttachedProbe probe() {
    return probe;
  }
}
