package io.lanthorn.source.kafka;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.EventSource;
import io.lanthorn.api.Sink;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.sink.kafka.KafkaSinkFactory;
import io.lanthorn.sink.sqlite.SqliteSinkFactory;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bench/fleet/run.sh: the host side's CPU per event with sink-kafka and with sink-sqlite, and the
 * end-to-end rate host → broker → central SQLite. Arguments: bootstrap servers, a scratch
 * directory, events per run.
 */
public final class FleetBenchmark {
  private static final int BATCH = 512;

  private FleetBenchmark() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    Path scratch = Files.createDirectories(Path.of(args[1]));
    int events = Integer.parseInt(args[2]);
    List<List<ConnectionEvent>> batches = batches(events);

    // Warm-up (JIT, connections), then the measured runs, each on a fresh topic or file.
    hostRun("warm-up sink-kafka", kafka(bootstrap, "bench.warmup", scratch), batches(20_000));
    hostRun("warm-up sink-sqlite", sqlite(scratch.resolve("warmup.db")), batches(20_000));
    hostRun("sink-kafka", kafka(bootstrap, "bench.host", scratch), batches);
    hostRun("sink-sqlite", sqlite(scratch.resolve("host.db")), batches);

    // End to end: a collector reading while the host sends.
    Path central = scratch.resolve("central.db");
    Sink store = sqlite(central);
    MiniPipeline pipeline = new MiniPipeline("sink-sqlite", store);
    EventSource source =
        new KafkaSourceFactory()
            .create(
                TestPluginContext.forPlugin("source-kafka")
                    .with(
                        Map.of(
                            "bootstrap-servers", bootstrap,
                            "topic", "bench.e2e",
                            "group-id", "bench-e2e"))
                    .withPipelineStats(pipeline::stats)
                    .withEmitter(pipeline));
    Sink host = kafka(bootstrap, "bench.e2e", scratch);
    long start = System.nanoTime();
    for (List<ConnectionEvent> batch : batches) {
      host.write(batch);
    }
    long sent = System.nanoTime();
    while (count(central) < events) {
      Thread.sleep(20);
    }
    long stored = System.nanoTime();
    source.stop();
    source.close();
    pipeline.close();
    host.close();
    System.out.printf(
        Locale.ROOT,
        "end-to-end: %d events host → broker → central SQLite in %.2f s: %.0f events/s"
            + " (host done sending after %.2f s)%n",
        events,
        (stored - start) / 1e9,
        events / ((stored - start) / 1e9),
        (sent - start) / 1e9);
  }

  private static void hostRun(String name, Sink sink, List<List<ConnectionEvent>> batches)
      throws Exception {
    int events = batches.stream().mapToInt(List::size).sum();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    for (List<ConnectionEvent> batch : batches) {
      sink.write(batch);
    }
    long t1 = System.nanoTime();
    long cpu1 = os.getProcessCpuTime();
    sink.close();
    System.out.printf(
        Locale.ROOT,
        "host %-20s %8d events in %6.2f s: %8.0f events/s, %6.2f us CPU per event (whole JVM)%n",
        name,
        events,
        (t1 - t0) / 1e9,
        events / ((t1 - t0) / 1e9),
        (cpu1 - cpu0) / 1e3 / events);
  }

  private static Sink kafka(String bootstrap, String topic, Path scratch) throws Exception {
    return new KafkaSinkFactory()
        .create(
            TestPluginContext.forPlugin("sink-kafka")
                .with(
                    Map.of(
                        "bootstrap-servers",
                        bootstrap,
                        "topic",
                        topic,
                        "spool.path",
                        scratch.resolve("spool-" + topic).toString())));
  }

  private static Sink sqlite(Path file) throws Exception {
    return new SqliteSinkFactory()
        .create(
            TestPluginContext.forPlugin("sink-sqlite")
                .with(Map.of("path", file.toString(), "retention", "0")));
  }

  private static List<List<ConnectionEvent>> batches(int events) {
    List<List<ConnectionEvent>> batches = new java.util.ArrayList<>();
    for (int from = 0; from < events; from += BATCH) {
      batches.add(FleetTest.batch("bench", from, Math.min(BATCH, events - from), "web"));
    }
    return batches;
  }

  private static long count(Path db) {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT count(*) FROM event_rows")) {
      return result.next() ? result.getLong(1) : 0;
    } catch (SQLException e) {
      return 0;
    }
  }
}
