package io.lanthorn.probe.dns;

import io.lanthorn.bpf.AttachStrategy;
import io.lanthorn.bpf.BpfException;
import io.lanthorn.bpf.BpfLink;
import io.lanthorn.bpf.BpfObject;
import io.lanthorn.bpf.Cgroup2;
import io.lanthorn.bpf.KernelClock;
import io.lanthorn.bpf.PerCpuCounters;
import io.lanthorn.bpf.ProbeLoader;
import io.lanthorn.bpf.ProbeLoader.AttachedProbe;
import io.lanthorn.bpf.RecordHandler;
import io.lanthorn.bpf.RingBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The kernel side of DNS capture: loads {@code dns_probe.bpf.o}, attaches its programs to the root
 * of the cgroup v2 hierarchy with BPF links (so they end with this process, however it ends), and
 * hands every response the ring carries to a consumer, decoded.
 *
 * <p>One reader thread waits on the ring; any other thread may {@link #drain()} it first, e.g. an
 * enricher about to look up names that a response still in the ring may hold.
 */
public final class DnsCapture implements AutoCloseable {
  static final String OBJECT_NAME = "lanthorn_dns";
  static final String ELF_RESOURCE = "dns_probe.bpf.o";
  static final String PROGRAM_PREFIX = "lt_dns_";
  static final List<String> PROGRAMS =
      List.of(
          "lt_dns_ingress",
          "lt_dns_connect4",
          "lt_dns_connect6",
          "lt_dns_sendmsg4",
          "lt_dns_sendmsg6");
  static final List<Cgroup2.AttachType> HOOKS =
      List.of(
          Cgroup2.AttachType.INET_INGRESS,
          Cgroup2.AttachType.INET4_CONNECT,
          Cgroup2.AttachType.INET6_CONNECT,
          Cgroup2.AttachType.UDP4_SENDMSG,
          Cgroup2.AttachType.UDP6_SENDMSG);

  private static final long CLOCK_RESYNC_NANOS = 1_000_000_000L;
  private static final long FINAL_DRAIN_NANOS = 1_000_000_000L;

  /** Settings of the kernel side. */
  public record Settings(
      Path cgroupRoot, long ringSize, long wakeupThreshold, int ownerEntries, Duration poll) {}

  private final Settings settings;
  private final Clock clock;
  private final Logger log;
  private final Consumer<DnsResponseRecord> consumer;
  private final ReentrantLock consumeLock = new ReentrantLock();
  private final RecordHandler handler = this::onRecord;
  private final AtomicLong undecodable = new AtomicLong();
  private AttachedProbe probe;
  private RingBuffer ring;
  private volatile PerCpuCounters kernelCounters;
  private Thread reader;
  private volatile boolean running;
  private volatile long wallClockOffset;
  private long lastClockSync;
  private volatile long[] lastCounters;

  private DnsCapture(
      Settings settings, Clock clock, Logger log, Consumer<DnsResponseRecord> consumer) {
    this.settings = settings;
    this.clock = clock;
    this.log = log;
    this.consumer = consumer;
    this.lastCounters = new long[RecordLayout.COUNTERS.size()];
  }

  /**
   * Loads and attaches the programs and starts the reader.
   *
   * @param consumer receives each response on the reader thread (or a draining thread, one at a
   *     time); an exception it throws is logged and the response counted undecodable
   * @throws BpfException naming what the kernel or the host refused
   */
  public static DnsCapture start(
      Settings settings, Clock clock, Logger log, Consumer<DnsResponseRecord> consumer) {
    DnsCapture capture = new DnsCapture(settings, clock, log, consumer);
    try {
      capture.attach();
    } catch (RuntimeException e) {
      capture.close();
      throw e;
    }
    return capture;
  }

  private void attach() {
    if (!Files.exists(settings.cgroupRoot().resolve("cgroup.controllers"))) {
      throw new BpfException(
          settings.cgroupRoot()
              + " is not the root of a cgroup v2 hierarchy (no cgroup.controllers): set"
              + " probe-dns.cgroup-root = auto, or to where cgroup2 is mounted");
    }
    warnAboutLeftovers(settings.cgroupRoot(), log);
    probe =
        new ProbeLoader(OBJECT_NAME, programImage(), log)
            .load(List.of(cgroupRoot()), this::configure);
    BpfObject object = probe.object();
    ring = RingBuffer.open(object.map("lt_dns_events"));
    kernelCounters = new PerCpuCounters(object.map("lt_dns_counters"));
    syncClock();
    running = true;
    reader = Thread.ofPlatform().name("probe-dns-reader").daemon().start(this::readLoop);
  }

  private void configure(BpfObject object) {
    object.map("lt_dns_events").setMaxEntries(Math.toIntExact(settings.ringSize()));
    object.map("lt_dns_owners").setMaxEntries(settings.ownerEntries());
    object.setConstant("wakeup_threshold", settings.wakeupThreshold());
  }

  private AttachStrategy cgroupRoot() {
    return new AttachStrategy() {
      @Override
      public String name() {
        return "cgroup " + settings.cgroupRoot();
      }

      @Override
      public Set<String> programs() {
        return Set.copyOf(PROGRAMS);
      }

      @Override
      public List<BpfLink> attach(BpfObject object) {
        List<BpfLink> links = new ArrayList<>();
        // The links hold the cgroup; its directory need not stay open.
        try (Cgroup2.Directory root = Cgroup2.open(settings.cgroupRoot())) {
          for (String program : PROGRAMS) {
            links.add(object.program(program).attachCgroup(root));
          }
        }
        return links;
      }
    };
  }

  /**
   * Programs of ours attached to the root by another process: another agent is running, or someone
   * pinned a link. Ours end with our process, so nothing is ever left over from a crash.
   */
  static List<String> leftovers(Path cgroupRoot) {
    List<String> found = new ArrayList<>();
    try (Cgroup2.Directory root = Cgroup2.open(cgroupRoot)) {
      for (Cgroup2.AttachType hook : HOOKS) {
        root.attachedPrograms(hook).stream()
            .filter(name -> name.startsWith(PROGRAM_PREFIX))
            .forEach(found::add);
      }
    }
    return found;
  }

  private static void warnAboutLeftovers(Path cgroupRoot, Logger log) {
    List<String> found = leftovers(cgroupRoot);
    if (!found.isEmpty()) {
      log.warn(
          "{} DNS programs of another Lanthorn are attached to {} ({}): another agent is running"
              + " or a link was pinned; 'bpftool cgroup show {}' lists them",
          found.size(),
          cgroupRoot,
          String.join(", ", found),
          cgroupRoot);
    }
  }

  private static byte[] programImage() {
    try (InputStream in = DnsCapture.class.getResourceAsStream(ELF_RESOURCE)) {
      if (in == null) {
        throw new BpfException(ELF_RESOURCE + " is missing from the probe-dns jar: rebuild it");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new BpfException("cannot read " + ELF_RESOURCE + " from the probe-dns jar", e);
    }
  }

  private void readLoop() {
    try {
      while (running) {
        ring.await(settings.poll());
        drain();
        if (System.nanoTime() - lastClockSync > CLOCK_RESYNC_NANOS) {
          syncClock();
        }
        refreshCounters();
      }
    } catch (RuntimeException e) {
      log.error("probe-dns reader failed; DNS responses are no longer read", e);
    }
  }

  /** Hands every response now in the ring to the consumer, in the calling thread. */
  public void drain() {
    consumeLock.lock();
    try {
      if (ring != null) {
        ring.consume(handler);
      }
    } finally {
      consumeLock.unlock();
    }
  }

  private void onRecord(MemorySegment buffer, long offset, int length) {
    DnsResponseRecord record;
    try {
      record = DnsResponseRecord.decode(buffer, offset, length, wallClockOffset);
    } catch (RuntimeException e) {
      undecodable.incrementAndGet();
      log.error("cannot decode a DNS record", e);
      return;
    }
    try {
      consumer.accept(record);
    } catch (RuntimeException e) {
      undecodable.incrementAndGet();
      log.error("cannot handle a DNS response", e);
    }
  }

  private void syncClock() {
    wallClockOffset = KernelClock.wallClockOffsetNanos(clock);
    lastClockSync = System.nanoTime();
  }

  /** The kernel's counters, by name ({@link RecordLayout#COUNTERS}), as last read. */
  public long counter(String name) {
    int index = RecordLayout.COUNTERS.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException("no kernel counter " + name);
    }
    return lastCounters[index];
  }

  /** Reads the kernel's counters now. */
  public void refreshCounters() {
    PerCpuCounters counters = kernelCounters;
    if (counters != null) {
      lastCounters = counters.read();
    }
  }

  /** Ring records that could not be decoded or handled. */
  public long undecodable() {
    return undecodable.get();
  }

  /** The kernel's ids of the loaded programs, for tests. */
  List<Integer> programIds() {
    return probe == null
        ? List.of()
        : probe.programs().stream().map(io.lanthorn.bpf.BpfProgram::id).toList();
  }

  /** The loaded programs' links, for tests. */
  List<BpfLink> links() {
    return probe == null ? List.of() : probe.links();
  }

  /** Detaches the programs, then hands over what is left in the ring. Idempotent. */
  public void stop() throws InterruptedException {
    if (reader == null || probe == null) {
      return;
    }
    running = false;
    reader.join();
    reader = null;
    probe.detach();
    long deadline = System.nanoTime() + FINAL_DRAIN_NANOS;
    do {
      drain();
    } while (ring.pendingBytes() > 0 && System.nanoTime() < deadline);
    refreshCounters();
  }

  /** Detaches, unloads the programs and frees the maps. Idempotent. */
  @Override
  public void close() {
    running = false;
    Thread r = reader;
    if (r != null) {
      try {
        r.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    consumeLock.lock();
    try {
      if (ring != null) {
        ring.close();
        ring = null;
      }
    } finally {
      consumeLock.unlock();
    }
    kernelCounters = null; // its map goes with the object: the last counters read stay
    if (probe != null) {
      probe.close();
      probe = null;
    }
  }
}
