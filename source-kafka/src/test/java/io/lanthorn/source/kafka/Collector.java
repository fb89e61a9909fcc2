package io.lanthorn.source.kafka;

import io.lanthorn.api.Sink;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.sink.sqlite.SqliteSinkFactory;
import java.util.Map;

/**
 * A central collector in a process of its own, so a test can SIGKILL it: source-kafka into
 * sink-sqlite. Arguments: bootstrap servers, topic, group id, SQLite file. Prints "collecting" once
 * running; runs until killed.
 */
public final class Collector {
  private Collector() {}

  public static void main(String[] args) throws Exception {
    Sink sink =
        new SqliteSinkFactory()
            .create(
                TestPluginContext.forPlugin("sink-sqlite")
                    .with(Map.of("path", args[3], "retention", "0")));
    MiniPipeline pipeline = new MiniPipeline("sink-sqlite", sink);
    new KafkaSourceFactory()
        .create(
            TestPluginContext.forPlugin("source-kafka")
                .with(
                    Map.of(
                        "bootstrap-servers", args[0],
                        "topic", args[1],
                        "group-id", args[2]))
                // The broker's minimum: a SIGKILLed collector's partitions move on after 6 s
                // instead of the default 45 s.
                .with(
                    "kafka { \"session.timeout.ms\" = \"6000\", \"heartbeat.interval.ms\" = \"1000\" }")
                .withPipelineStats(pipeline::stats)
                .withEmitter(pipeline));
    System.out.println("collecting");
    System.out.flush();
    Thread.currentThread().join();
  }
}
