package io.lanthorn.probe.udp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.EventEmitter;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.EventSource;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.UdpFlowEvent;
import io.lanthorn.bpf.AttachStrategy;
import io.lanthorn.bpf.BpfException;
import io.lanthorn.bpf.BpfLink;
import io.lanthorn.bpf.BpfMap;
import io.lanthorn.bpf.BpfObject;
import io.lanthorn.bpf.Cgroup2;
import io.lanthorn.bpf.KernelClock;
import io.lanthorn.bpf.PerCpuCounters;
import io.lanthorn.bpf.ProbeLoader;
import io.lanthorn.bpf.ProbeLoader.AttachedProbe;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * The {@code probe-udp} event source. The kernel counts datagrams and bytes per (process, socket,
 * destination) in an LRU map; every {@code interval} one reader thread reads the map and emits a
 * {@link UdpFlowEvent} per triple that sent since the last read (the first when it is first seen),
 * and removes triples idle for {@code idle-timeout}. The sock_addr programs are attached to the
 * cgroup v2 root and the counting one to the tracepoint sock_send_length, all with BPF links, which
 * end with the process however it ends.
 */
public final class UdpFlowSource implements EventSource {
  static final String OBJECT_NAME = "lanthorn_udp";
  static final String ELF_RESOURCE = "udp_probe.bpf.o";
  static final String PROGRAM_PREFIX = "lt_udp_";
  static final String SEND_PROGRAM = "lt_udp_sent";

  /** Counting at the tracepoint sock_send_length (Linux 6.3+): every send, with its bytes. */
  static final List<String> PROGRAMS =
      List.of(
          "lt_udp_sendmsg4", "lt_udp_sendmsg6", "lt_udp_connect4", "lt_udp_connect6", SEND_PROGRAM);

  /** Before Linux 6.3: counting in the hooks, sends naming a destination only, no bytes. */
  static final List<String> HOOK_PROGRAMS =
      List.of(
          "lt_udp_sendmsg4_count", "lt_udp_sendmsg6_count", "lt_udp_connect4", "lt_udp_connect6");

  static final String LOST_MAP_FULL = "udp_flow_map_full";

  private static final int AF_INET6 = 10;
  private static final HexFormat HEX = HexFormat.of();

  private final ProbeUdpConfig config;
  private final Logger log;
  private final Clock clock;
  private final EventEmitter emitter;
  private final String hostName;
  private final AttachedProbe probe;
  private final BpfMap flows;
  private final PerCpuCounters counters;
  private final Thread reader;

  /** Datagrams, bytes and last time reported per flow key, to emit what is new. */
  private final Map<String, long[]> reported = new HashMap<>();

  private final Object lock = new Object();
  private volatile boolean running;
  private volatile long[] latestCounters = new long[FlowLayout.COUNTERS.size()];
  private long reportedMapFull;
  private boolean stopped;
  private boolean closed;

  private UdpFlowSource(ProbeUdpConfig config, PluginContext context, AttachedProbe probe) {
    this.config = config;
    this.log = context.logger();
    this.clock = context.clock();
    this.emitter = context.emitter();
    this.hostName = context.hostName();
    this.probe = probe;
    this.flows = probe.object().map("lt_udp_flows");
    this.counters = new PerCpuCounters(probe.object().map("lt_udp_counters"));
    this.reader = Thread.ofPlatform().name("probe-udp-reader").daemon().unstarted(this::readLoop);
    for (int i = 0; i < FlowLayout.COUNTERS.size(); i++) {
      int index = i;
      context
          .metrics()
          .gauge(
              "kernel." + FlowLayout.COUNTERS.get(i),
              "UDP flow counter " + FlowLayout.COUNTERS.get(i),
              () -> latestCounters[index]);
    }
  }

  /**
   * Loads the programs, attaches them to the cgroup v2 root and the tracepoint (or, where the
   * kernel lacks it, counts in the cgroup hooks alone) and starts reading.
   *
   * @param hooksOnly skip the tracepoint (tests of the fallback)
   * @throws PluginException naming what is missing
   */
  static UdpFlowSource start(ProbeUdpConfig config, PluginContext context, boolean hooksOnly)
      throws PluginException {
    Logger log = context.logger();
    AttachedProbe probe = null;
    try {
      Path root = config.cgroupRoot().orElseGet(() -> Cgroup2.root(Cgroup2.MOUNTINFO));
      AttachStrategy tracepoint = attach(root, PROGRAMS, "tp_btf/sock_send_length");
      AttachStrategy hooks = attach(root, HOOK_PROGRAMS, "sendmsg hooks");
      probe =
          new ProbeLoader(OBJECT_NAME, programImage(), log)
              .load(
                  hooksOnly ? List.of(hooks) : List.of(tracepoint, hooks),
                  object -> {
                    object.map("lt_udp_flows").setMaxEntries(config.flowEntries());
                    object.setConstant("skip_dns", config.skipDns() ? 1 : 0);
                  });
      if (probe.strategy().equals(hooks.name())) {
        log.warn(
            "probe-udp counts only sends that name their destination, without bytes: this kernel"
                + " has no tracepoint sock_send_length (Linux 6.3+)");
      }
      UdpFlowSource source = new UdpFlowSource(config, context, probe);
      source.running = true;
      source.reader.start();
      log.info(
          "counting UDP datagrams per process, socket and destination (cgroup {}, every {})",
          root,
          config.interval());
      return source;
    } catch (BpfException e) {
      if (probe != null) {
        probe.close();
      }
      throw new PluginException("probe-udp cannot start: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (probe != null) {
        probe.close(); // attached, but the source could not be built: detach before failing
      }
      throw e;
    }
  }

  /**
   * Attaches {@code programs}: those with a cgroup section to the root, the tracepoint's (if among
   * them) where its section says.
   */
  private static AttachStrategy attach(Path root, List<String> programs, String counting) {
    return new AttachStrategy() {
      @Override
      public String name() {
        return "cgroup " + root + ", counting at " + counting;
      }

      @Override
      public Set<String> programs() {
        return Set.copyOf(programs);
      }

      @Override
      public List<BpfLink> attach(BpfObject object) {
        List<BpfLink> links = new ArrayList<>();
        // The links hold the cgroup; its directory need not stay open.
        try (Cgroup2.Directory directory = Cgroup2.open(root)) {
          for (String program : programs) {
            if (!program.equals(SEND_PROGRAM)) {
              links.add(object.program(program).attachCgroup(directory));
            }
          }
        }
        if (programs.contains(SEND_PROGRAM)) {
          links.add(object.program(SEND_PROGRAM).attach());
        }
        return links;
      }
    };
  }

  private static byte[] programImage() {
    try (InputStream in = UdpFlowSource.class.getResourceAsStream(ELF_RESOURCE)) {
      if (in == null) {
        throw new BpfException(ELF_RESOURCE + " is missing from the probe-udp jar: rebuild it");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new BpfException("cannot read " + ELF_RESOURCE + " from the probe-udp jar", e);
    }
  }

  private void readLoop() {
    try {
      while (running) {
        Thread.sleep(config.interval());
        report();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("probe-udp reader failed; UDP flows are no longer reported", e);
    }
  }

  /** Reads the map once: emits what is new, removes what is idle, reports loss. */
  private void report() {
    synchronized (lock) {
      long offset = KernelClock.wallClockOffsetNanos(clock);
      long now = KernelClock.monotonicNanos();
      List<UdpFlowEvent> batch = new ArrayList<>();
      List<String> idle = new ArrayList<>();
      Set<String> present = new HashSet<>();
      flows.forEach(
          (key, value) -> {
            String id = HEX.formatHex(key.toArray(JAVA_BYTE));
            present.add(id);
            long datagrams = value.get(JAVA_LONG, FlowLayout.DATAGRAMS);
            long bytes = value.get(JAVA_LONG, FlowLayout.BYTES);
            long first = value.get(JAVA_LONG, FlowLayout.FIRST_NS);
            long last = value.get(JAVA_LONG, FlowLayout.LAST_NS);
            long[] before = reported.get(id);
            // Bytes too: the kernel adds datagrams and bytes one after the other, so a read may
            // fall between them; what one interval misses, the next (or the last, at stop) has.
            if (before == null || datagrams > before[0] || bytes > before[1]) {
              long since = before == null ? first : Math.max(first, before[2]);
              long count = datagrams - (before == null ? 0 : before[0]);
              long sent = bytes - (before == null ? 0 : before[1]);
              batch.add(event(key, value, since, offset, count, sent, Math.max(0, last - since)));
              reported.put(id, new long[] {datagrams, bytes, last});
            } else if (now - last > config.idleTimeout().toNanos()) {
              idle.add(id);
            }
          });
      // Forget flows the LRU evicted, and remove idle ones (reported anew if they send again).
      reported.keySet().retainAll(present);
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment key = arena.allocate(FlowLayout.KEY.byteSize(), 8);
        for (String id : idle) {
          key.copyFrom(MemorySegment.ofArray(HEX.parseHex(id)));
          flows.delete(key);
          reported.remove(id);
        }
      }
      if (!batch.isEmpty()) {
        emitter.emitAll(batch);
      }
      long[] c = counters.read();
      latestCounters = c;
      int full = FlowLayout.COUNTERS.indexOf("map_full");
      if (c[full] > reportedMapFull) {
        emitter.reportLost(LOST_MAP_FULL, c[full] - reportedMapFull);
        reportedMapFull = c[full];
      }
    }
  }

  private UdpFlowEvent event(
      MemorySegment key,
      MemorySegment value,
      long since,
      long offset,
      long count,
      long bytes,
      long span) {
    boolean v6 = Short.toUnsignedInt(key.get(JAVA_SHORT, FlowLayout.KEY_FAMILY)) == AF_INET6;
    long cgroupId = value.get(JAVA_LONG, FlowLayout.CGROUP_ID);
    EventHeader header =
        new EventHeader(
            since + offset,
            since,
            key.get(JAVA_INT, FlowLayout.KEY_PID),
            value.get(JAVA_INT, FlowLayout.TID),
            value.get(JAVA_INT, FlowLayout.UID),
            value.get(JAVA_INT, FlowLayout.GID),
            text(value, FlowLayout.COMM, FlowLayout.COMM_LEN, ""),
            null,
            cgroupId,
            text(value, FlowLayout.CGROUP_NAME, FlowLayout.CGROUP_NAME_LEN, null),
            hostName);
    return new UdpFlowEvent(
        header,
        v6 ? AddressFamily.INET6 : AddressFamily.INET,
        address(value, FlowLayout.SADDR, v6),
        Short.toUnsignedInt(value.get(JAVA_SHORT, FlowLayout.SPORT)),
        address(key, FlowLayout.KEY_DADDR, v6),
        Short.toUnsignedInt(key.get(JAVA_SHORT, FlowLayout.KEY_DPORT)),
        count,
        bytes,
        span,
        Attributes.empty());
  }

  private static InetAddress address(MemorySegment segment, long offset, boolean v6) {
    byte[] raw = segment.asSlice(offset, v6 ? 16 : 4).toArray(JAVA_BYTE);
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("an address of " + raw.length + " bytes", e);
    }
  }

  private static String text(MemorySegment segment, long offset, int max, String empty) {
    int length = 0;
    while (length < max && segment.get(JAVA_BYTE, offset + length) != 0) {
      length++;
    }
    return length == 0
        ? empty
        : new String(segment.asSlice(offset, length).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
  }

  /** Detaches the programs, then reports what the map counted since the last read. */
  @Override
  public void stop() {
    if (stopped || closed) {
      return;
    }
    stopped = true;
    running = false;
    reader.interrupt();
    try {
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    probe.detach();
    report();
  }

  /** Detaches and unloads the programs and frees the maps. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      running = false;
      reader.interrupt();
      probe.close();
    }
  }

  /** The loaded probe, for tests; {@code null} once closed. */
  AttachedProbe probe() {
    return closed ? null : probe;
  }
}
