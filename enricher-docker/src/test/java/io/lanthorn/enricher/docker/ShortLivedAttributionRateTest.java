package io.lanthorn.enricher.docker;

import static io.lanthorn.enricher.docker.DockerHost.IMAGE;
import static io.lanthorn.enricher.docker.DockerHost.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.testkit.TestPluginContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures how many short-lived containers get named: N {@code docker run --rm} containers that
 * each connect to their own loopback and exit about 100 ms later. Each one's event is enriched only
 * after the container has exited and been removed (the hardest case: nothing is left to inspect),
 * with the cgroup name and id the kernel captured, and again with the cgroup id alone.
 *
 * <p>Prints the figures; {@code enricher-docker/measure-short-lived.sh} runs it with other counts.
 * System properties: {@code lanthorn.shortlived.count} (default 50), {@code
 * lanthorn.shortlived.parallel} (containers in flight at once, default 1).
 */
class ShortLivedAttributionRateTest {
  @TempDir Path tmp;

  @Test
  void shortLivedContainersAreNamed() throws Exception {
    DockerHost.ensureRunning();
    int count = Integer.getInteger("lanthorn.shortlived.count", 50);
    int parallel = Integer.getInteger("lanthorn.shortlived.parallel", 1);
    String prefix = "lanthorn-rate-" + UUID.randomUUID().toString().substring(0, 8);

    String probe = docker("run", "-d", "--network", "none", IMAGE, "sh", "-c", "sleep 60");
    Path parent = KernelView.ofProcess(DockerHost.pidOf(probe)).directory().getParent();
    DockerHost.removeQuietly(List.of(probe));

    TestPluginContext context = TestPluginContext.forPlugin(DockerEnricher.NAME);
    AtomicInteger byName = new AtomicInteger();
    AtomicInteger byId = new AtomicInteger();
    AtomicInteger withImage = new AtomicInteger();
    AtomicInteger cgroupSeen = new AtomicInteger();
    AtomicInteger late = new AtomicInteger();
    long started = System.nanoTime();
    try (DockerEnricher enricher = new DockerEnricherFactory().create(context);
        CgroupDirWatcher cgroupDirs = new CgroupDirWatcher(parent);
        ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
      await().atMost(Duration.ofSeconds(30)).until(enricher::available);
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = prefix + "-" + i;
        Path cidFile = tmp.resolve(i + ".cid");
        runs.add(
            pool.submit(
                () -> {
                  String id = DockerHost.runShortLived(name, cidFile);
                  await().atMost(Duration.ofSeconds(30)).until(() -> !DockerHost.exists(id));
                  KernelView cgroup = cgroupDirs.awaitContaining(id);
                  cgroupSeen.incrementAndGet();

                  // The first enrichment is the agent's (one bounded wait); on a loaded machine
                  // Docker's events may arrive later than that wait, which is counted, and the
                  // name must still come, from the events stream, not from inspecting.
                  ConnectionEvent asCaptured = enrich(enricher, cgroup.event(4242));
                  if (asCaptured.attribute(StandardAttributes.CONTAINER_NAME) == null) {
                    late.incrementAndGet();
                    asCaptured =
                        await()
                            .atMost(Duration.ofSeconds(30))
                            .until(
                                () -> enrich(enricher, cgroup.event(4242)),
                                e -> e.attribute(StandardAttributes.CONTAINER_NAME) != null);
                  }
                  if (name.equals(asCaptured.attribute(StandardAttributes.CONTAINER_NAME))) {
                    byName.incrementAndGet();
                  }
                  if (IMAGE.equals(asCaptured.attribute(StandardAttributes.CONTAINER_IMAGE_NAME))) {
                    withImage.incrementAndGet();
                  }
                  ConnectionEvent idOnly =
                      enrich(enricher, Events.connection(4242, null, cgroup.id()));
                  if (name.equals(idOnly.attribute(StandardAttributes.CONTAINER_NAME))) {
                    byId.incrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "short-lived attribution: %d --rm containers (~100 ms each, %d at a time, %.1f s),"
            + " enriched after removal: named by cgroup name %d/%d, with image %d/%d,"
            + " by cgroup id alone %d/%d; named only after the first bounded wait %d;"
            + " lookups=%d batch.wait_timeouts=%d%n",
        count,
        parallel,
        seconds,
        byName.get(),
        count,
        withImage.get(),
        count,
        byId.get(),
        count,
        late.get(),
        context.metrics().value("lookups"),
        context.metrics().value("batch.wait_timeouts"));

    assertThat(cgroupSeen.get()).isEqualTo(count);
    // Names come from the create event, which precedes the container's first process by far, so
    // anything short of all of them means the events stream lost track.
    assertThat(byName.get()).isEqualTo(count);
    assertThat(withImage.get()).isEqualTo(count);
  }

  private static ConnectionEvent enrich(DockerEnricher enricher, ConnectionEvent event) {
    List<Event> batch = new ArrayList<>(List.of(event));
    enricher.enrichAll(batch);
    return (ConnectionEvent) batch.getFirst();
  }
}
