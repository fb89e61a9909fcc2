package io.lanthorn.probe.tcp;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventEmitter;
import io.lanthorn.api.InboundAcceptEvent;
import io.lanthorn.api.testkit.TestPluginContext;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The probe's cost to a connection-heavy workload: a benchmark, not a test (run it with {@code
 * bench/probe/run.sh}). Each round runs {@code connect_storm} once without the probe and once with
 * {@code probe-tcp} running into a counting emitter, alternating which goes first, and prints both
 * rates, their ratio, the storm's CPU time per connection both ways, the events seen for the
 * storm's process and the events lost.
 *
 * <p>Arguments: {@code STORM_BINARY [ATTEMPTS [THREADS [ROUNDS [CONFIG_OVERRIDES]]]]}.
 */
public final class ProbeTcpBench {
  private static final Pattern RESULT =
      Pattern.compile("attempts=(\\d+) failed=(\\d+) .*rate=(\\d+) cpu_us=([0-9.]+)");
  private static final int WARM_UP_ATTEMPTS = 50_000;

  private ProbeTcpBench() {}

  private record Storm(long pid, long attempts, double rate, double cpuMicros) {}

  private record Probed(
      Storm storm, long seen, long accepts, long lost, double readerNanosPerEvent) {}

  /**
   * Counts events, and those of {@code connect_storm} processes per pid; keeps nothing else. Called
   * by the probe's reader thread, then by {@code stop()} after it joined that thread; the main
   * thread reads the per-pid counts only after {@code stop()}.
   */
  private static final class CountingEmitter implements EventEmitter {
    private static final String STORM = "connect_storm";

    private final Map<Integer, long[]> stormEvents = new HashMap<>();
    private final LongAdder events = new LongAdder();
    private final LongAdder lost = new LongAdder();
    // The storm's own listener accepts every connection it makes (tcp_accept, when inbound is on).
    private final LongAdder stormAccepts = new LongAdder();
    // Consecutive events mostly come from one process (and the probe reuses its comm strings).
    private int lastPid = -1;
    private String lastComm;
    private long[] lastCount;

    @Override
    public void emit(Event event) {
      events.increment();
      count(event);
    }

    @Override
    public void emitAll(Collection<? extends Event> batch) {
      events.add(batch.size());
      for (Event event : batch) {
        count(event);
      }
    }

    @SuppressWarnings("ReferenceEquality") // a fast path: equal strings are usually the same one
    private void count(Event event) {
      if (!(event instanceof ConnectionEvent)) {
        if (event instanceof InboundAcceptEvent && STORM.equals(event.comm())) {
          stormAccepts.increment();
        }
        return;
      }
      if (event.pid() != lastPid || event.comm() != lastComm) {
        lastPid = event.pid();
        lastComm = event.comm();
        lastCount =
            lastComm.equals(STORM)
                ? stormEvents.computeIfAbsent(lastPid, pid -> new long[1])
                : null;
      }
      if (lastCount != null) {
        lastCount[0]++;
      }
    }

    long stormEvents(long pid) {
      long[] count = stormEvents.get((int) pid);
      return count == null ? 0 : count[0];
    }

    @Override
    public void reportLost(String reason, long count) {
      lost.add(count);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println(
          "usage: ProbeTcpBench STORM_BINARY [ATTEMPTS [THREADS [ROUNDS [CONFIG_OVERRIDES]]]]");
      System.exit(2);
    }
    Path storm = Path.of(args[0]);
    int attempts = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    String overrides = args.length > 4 ? args[4] : "";
    System.out.printf(
        Locale.ROOT,
        "connect_storm %d attempts, %d threads, %d rounds, probe-tcp config overrides: [%s]%n",
        attempts,
        threads,
        rounds,
        overrides);
    System.out.println("load before: " + loadAverage());
    // Once, so the JIT has compiled the reader's path before anything is measured.
    probed(storm, WARM_UP_ATTEMPTS, threads, overrides);

    List<Double> rateWithout = new ArrayList<>();
    List<Double> rateWith = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    List<Double> cpuWithout = new ArrayList<>();
    List<Double> cpuWith = new ArrayList<>();
    List<Double> readerCpu = new ArrayList<>();
    long seen = 0;
    long expected = 0;
    long lost = 0;
    long accepts = 0;
    for (int round = 1; round <= rounds; round++) {
      // Alternating the order cancels a drift in the machine's load between the two runs.
      Storm base = null;
      if (round % 2 == 1) {
        base = run(storm, attempts, threads);
      }
      Probed probed = probed(storm, attempts, threads, overrides);
      if (base == null) {
        base = run(storm, attempts, threads);
      }
      double ratio = probed.storm().rate() / base.rate();
      rateWithout.add(base.rate());
      rateWith.add(probed.storm().rate());
      ratios.add(ratio);
      cpuWithout.add(base.cpuMicros());
      cpuWith.add(probed.storm().cpuMicros());
      readerCpu.add(probed.readerNanosPerEvent());
      seen += probed.seen();
      expected += probed.storm().attempts();
      lost += probed.lost();
      accepts += probed.accepts();
      System.out.printf(
          Locale.ROOT,
          "round %d: without %.0f/s, with %.0f/s, ratio %.3f; storm CPU %.2f -> %.2f us/connect;"
              + " reader %.0f ns/event; events seen %d of %d, accepts %d, lost %d%n",
          round,
          base.rate(),
          probed.storm().rate(),
          ratio,
          base.cpuMicros(),
          probed.storm().cpuMicros(),
          probed.readerNanosPerEvent(),
          probed.seen(),
          probed.storm().attempts(),
          probed.accepts(),
          probed.lost());
    }
    System.out.println("load after: " + loadAverage());
    System.out.printf(Locale.ROOT, "rate without probe:  %s%n", summary(rateWithout, "%.0f/s"));
    System.out.printf(Locale.ROOT, "rate with probe:     %s%n", summary(rateWith, "%.0f/s"));
    System.out.printf(Locale.ROOT, "ratio:               %s%n", summary(ratios, "%.3f"));
    System.out.printf(
        Locale.ROOT, "storm CPU without:   %s%n", summary(cpuWithout, "%.2f us/connect"));
    System.out.printf(
        Locale.ROOT, "storm CPU with:      %s%n", summary(cpuWith, "%.2f us/connect"));
    System.out.printf(
        Locale.ROOT, "probe reader CPU:    %s%n", summary(readerCpu, "%.0f ns/event"));
    System.out.printf(
        Locale.ROOT,
        "events seen %d of %d attempts, accepts seen %d, events lost %d%n",
        seen,
        expected,
        accepts,
        lost);
  }

  /** One storm with the probe running from before it starts until after it ends. */
  private static Probed probed(Path storm, int attempts, int threads, String overrides)
      throws Exception {
    CountingEmitter emitter = new CountingEmitter();
    try (ProbeTcpSource source =
        new ProbeTcpFactory()
            .create(
                TestPluginContext.forPlugin("probe-tcp").with(overrides).withEmitter(emitter))) {
      long cpuBefore = readerCpuNanos();
      Storm result = run(storm, attempts, threads);
      long readerCpu = readerCpuNanos() - cpuBefore;
      long events = emitter.events.sum();
      source.stop();
      return new Probed(
          result,
          emitter.stormEvents(result.pid()),
          emitter.stormAccepts.sum(),
          emitter.lost.sum(),
          (double) readerCpu / Math.max(1, events));
    }
  }

  private static Storm run(Path storm, int attempts, int threads)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(storm.toString(), Integer.toString(attempts), Integer.toString(threads))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("connect_storm failed: " + output);
    }
    Matcher m = RESULT.matcher(output);
    if (!m.find() || !m.group(2).equals("0")) {
      throw new IllegalStateException("connect_storm did not connect every time: " + output);
    }
    return new Storm(
        process.pid(),
        Long.parseLong(m.group(1)),
        Double.parseDouble(m.group(3)),
        Double.parseDouble(m.group(4)));
  }

  /** CPU time the probe's reader thread has used: polling, decoding, emitting. */
  private static long readerCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("probe-tcp-reader"))
        .mapToLong(t -> threads.getThreadCpuTime(t.threadId()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no probe-tcp-reader thread"));
  }

  private static String summary(List<Double> values, String format) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return String.format(
        Locale.ROOT,
        "median " + format + " (min " + format + ", max " + format + ")",
        median,
        sorted.getFirst(),
        sorted.getLast());
  }

  private static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).strip();
  }
}
