package io.lanthorn.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.PipelineStats;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CommitGateTest {
  @Test
  void eventsASinkDoesNotTakeCountAsDoneWithForItAndHoldNoCommitBack() {
    AtomicReference<PipelineStats> stats =
        new AtomicReference<>(
            new PipelineStats(10, Map.of(), Map.of(), Map.of("sqlite", 0L, "web", 0L), Map.of()));
    CommitGate<String> gate = new CommitGate<>(stats::get);
    gate.handedOver("offsets up to 10");

    // The web sink has the 8 connections and was not handed the 2 feed reports it does not take.
    stats.set(
        new PipelineStats(
            10, Map.of(), Map.of(), Map.of("sqlite", 10L, "web", 8L), Map.of(), Map.of()));
    assertThat(gate.ready()).as("without the skipped count the web sink seems behind").isNull();
    stats.set(
        new PipelineStats(
            10, Map.of(), Map.of(), Map.of("sqlite", 10L, "web", 8L), Map.of(), Map.of("web", 2L)));
    assertThat(gate.ready()).isEqualTo("offsets up to 10");
    assertThat(gate.waiting()).isFalse();
  }
}
