package io.lanthorn.enricher.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.ConnectionEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What attribution costs the pipeline thread per event, from memory (the path every event takes):
 * 1,000 known containers, events alternating between containers (by cgroup name), a container by
 * cgroup id alone, and host processes. Prints figures; asserts only that the work was done.
 * Excluded from the normal run; run it with {@code ./mvnw -B -pl enricher-docker -am verify
 * -Dtest=HotPathBenchmark -Denricher-docker.benchmarks=true}.
 */
@Tag("benchmark")
class HotPathBenchmark {

  @Test
  void attributionFromMemory() {
    ContainerCache cache =
        new ContainerCache(Clock.systemUTC(), Duration.ofMinutes(5), Duration.ofMinutes(1), 4096);
    ContainerCgroups cgroups =
        new ContainerCgroups(
            new CgroupMounts(Path.of("/sys/fs/cgroup/unified"), "/", List.of(Path.of("/x"))),
            Path.of("/proc"));
    Attribution attribution = new Attribution(cache, cgroups, () -> true);
    List<ConnectionEvent> events = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String id = String.format("%064x", i + 1);
      cache.learn(
          new ContainerMetadata(
              id,
              "c" + i,
              "img:" + i,
              "sha256:" + i,
              Map.of("com.docker.compose.project", "p", "com.docker.compose.service", "s" + i)));
      cache.indexCgroup(id, 10_000 + i);
      events.add(Events.connection(i, id, 10_000 + i));
      events.add(Events.connection(i, "not-an-id", 10_000 + i));
      events.add(Events.connection(i, "session-1.scope", 5));
    }

    long sink = 0;
    for (int round = 0; round < 5; round++) {
      int iterations = 2_000;
      long start = System.nanoTime();
      for (int it = 0; it < iterations; it++) {
        for (ConnectionEvent event : events) {
          sink += Attribution.apply(event, attribution.resolve(event)).attributes().size();
        }
      }
      long elapsed = System.nanoTime() - start;
      double perEvent = (double) elapsed / ((long) iterations * events.size());
      System.out.printf(
          Locale.ROOT,
          "enricher-docker hot path, round %d: %.0f ns/event, %.2f M events/s (one thread)%n",
          round,
          perEvent,
          1_000.0 / perEvent);
    }
    assertThat(sink).isPositive();
  }
}
