package io.lanthorn.probe.dns;

import io.lanthorn.api.Event;
import io.lanthorn.api.EventEmitter;
import io.lanthorn.api.testkit.TestPluginContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What probe-dns costs, and whether it keeps up: a benchmark, not a test (run it with {@code
 * bench/dns/run.sh}, which starts the DNS server). Each round runs, without and with the plugin
 * attached (alternating which goes first): a DNS response storm ({@code dns_storm} against the
 * local dnsmasq), and iperf3 TCP over loopback, traffic the program must let through untouched.
 * Prints rates, ratios, and the responses the plugin saw and lost.
 *
 * <p>Arguments: {@code STORM_BINARY SERVER SECONDS ROUNDS [STORM_THREADS [WINDOW]]}.
 */
public final class DnsBench {
  private static final Pattern STORM = Pattern.compile("received=(\\d+) .*rate=(\\d+)");
  private static final Pattern IPERF_RECEIVED =
      Pattern.compile("\"sum_received\":\\s*\\{[^}]*?\"bits_per_second\":\\s*([0-9.e+]+)");

  private DnsBench() {}

  private record Storm(long received, double rate) {}

  public static void main(String[] args) throws Exception {
    String storm = args[0];
    String server = args[1];
    int seconds = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    String threads = args.length > 4 ? args[4] : "2";
    String window = args.length > 5 ? args[5] : "16";
    List<String> stormCommand =
        List.of(storm, server, "api.lanthorn.test", String.valueOf(seconds), threads, window);

    for (int round = 1; round <= rounds; round++) {
      boolean probedFirst = round % 2 == 0;
      Storm without = null;
      Storm with = null;
      long seen = 0;
      long ringFull = 0;
      long malformed = 0;
      double iperfWithout = 0;
      double iperfWith = 0;
      for (int pass = 0; pass < 2; pass++) {
        boolean probed = (pass == 0) == probedFirst;
        if (!probed) {
          without = storm(stormCommand);
          iperfWithout = iperf(seconds);
          continue;
        }
        LongAdder stormResponses = new LongAdder();
        TestPluginContext context =
            TestPluginContext.forPlugin("probe-dns").withEmitter(new CountingEmitter());
        ProbeDnsPlugin plugin =
            ProbeDnsPlugin.start(
                ProbeDnsConfig.from(context.config()),
                context,
                o -> {
                  if (o.record().comm().equals("dns_storm")) {
                    stormResponses.increment();
                  }
                });
        if (plugin.capture() == null) {
          throw new IllegalStateException("the kernel refused the programs; see the log");
        }
        try {
          with = storm(stormCommand);
          iperfWith = iperf(seconds);
          plugin.stop(); // detaches, then reads what is left in the ring
        } finally {
          plugin.close();
        }
        DnsCapture capture = plugin.capture();
        seen = stormResponses.sum();
        ringFull = capture == null ? 0 : capture.counter("ring_full");
        malformed = plugin.handler().malformed();
      }
      System.out.printf(
          Locale.ROOT,
          "round %d: storm without=%.0f/s with=%.0f/s ratio=%.3f | storm responses received=%d"
              + " seen=%d lost=%d (ring_full=%d) malformed=%d | iperf3 loopback without=%.2f"
              + " Gbit/s with=%.2f Gbit/s ratio=%.3f%n",
          round,
          without.rate(),
          with.rate(),
          with.rate() / without.rate(),
          with.received(),
          seen,
          with.received() - seen,
          ringFull,
          malformed,
          iperfWithout / 1e9,
          iperfWith / 1e9,
          iperfWith / iperfWithout);
    }
  }

  /** Counts the DNS events the plugin emits, and keeps none (the pipeline is not measured). */
  private static final class CountingEmitter implements EventEmitter {
    private final LongAdder events = new LongAdder();

    @Override
    public void emit(Event event) {
      events.increment();
    }

    @Override
    public void reportLost(String reason, long count) {
      System.out.println("lost " + count + " (" + reason + ")");
    }
  }

  private static Storm storm(List<String> command) throws IOException, InterruptedException {
    String out = run(command);
    Matcher m = STORM.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("dns_storm printed: " + out);
    }
    return new Storm(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)));
  }

  /** iperf3 TCP over loopback for {@code seconds}: received bits per second. */
  private static double iperf(int seconds) throws IOException, InterruptedException {
    Process server =
        new ProcessBuilder("iperf3", "-s", "-1", "-B", "127.0.0.1", "-p", "5299")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      String out = "";
      for (int attempt = 0; attempt < 50; attempt++) {
        out =
            run(
                List.of(
                    "iperf3",
                    "-c",
                    "127.0.0.1",
                    "-p",
                    "5299",
                    "-t",
                    String.valueOf(seconds),
                    "-J"));
        if (!out.contains("\"error\"")) {
          break;
        }
        TimeUnit.MILLISECONDS.sleep(100); // the server is not listening yet
      }
      Matcher m = IPERF_RECEIVED.matcher(out);
      if (!m.find()) {
        throw new IllegalStateException("iperf3 printed: " + out);
      }
      return Double.parseDouble(m.group(1));
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
