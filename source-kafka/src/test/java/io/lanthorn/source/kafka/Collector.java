package io.lanthorn.source.kafka;

import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.sink.sqlite.SqliteSink;
import java.util.Map;

/**
 * A central collector in a process of its own, so a test can SIGKILL it: source-kafka into
 * sink-sqlite. Arguments: bootstrap servers, topic, group id, SQLite file. Prints "collecting" once
 * running; runs until killed.
 */
public final class Collector {
  private Collector() {}

  public static void main(String[] args) throws Exception {
    SqliteSink sink = new SqliteSink();
    sink.start(
        TestPluginContext.forPlugin("sink-sqlite").with(Map.of("path", args[3], "retention", "0")));
    MiniPipeline pipeline = new MiniPipeline(sink);
    KafkaSource source = new KafkaSource();
    source.start(
        TestPluginContext.forPlugin("source-kafka")
            .with(
                Map.of(
                    "bootstrap-servers", args[0],
                    "topic", args[1],
                    "group-id", args[2],
                    // The broker's minimum: a SIGKILLed collector's partitions move on after 6 s
                    // instead of the default 45 s.
                    "kafka", Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1000")))
            .withPipelineStats(pipeline::stats),
        pipeline);
    System.out.println("collecting");
    System.out.flush();
    Thread.currentThread().join();
  }
}
