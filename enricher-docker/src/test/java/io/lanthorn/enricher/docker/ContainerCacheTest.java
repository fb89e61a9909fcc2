package io.lanthorn.enricher.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.StandardAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerCacheTest {
  static final Duration TTL = Duration.ofMinutes(5);
  static final Duration ABSENT_TTL = Duration.ofMinutes(1);

  final MutableClock clock = new MutableClock();
  final ContainerCache cache = new ContainerCache(clock, TTL, ABSENT_TTL, 4);

  static String id(int n) {
    return String.format("%064x", n);
  }

  static ContainerMetadata meta(int n, String name) {
    return new ContainerMetadata(id(n), name, "img:" + n, null, Map.of());
  }

  @Test
  void learnsAndMergesWithoutLosingFacts() {
    cache.learn(
        new ContainerMetadata(
            id(1), "/web", "nginx:1.27", null, Map.of("com.docker.compose.project", "shop")));
    cache.learn(new ContainerMetadata(id(1), null, null, "sha256:abc", null));

    ContainerCache.Entry entry = cache.get(id(1));
    assertThat(entry.metadata())
        .isEqualTo(
            new ContainerMetadata(
                id(1),
                "web",
                "nginx:1.27",
                "sha256:abc",
                Map.of("com.docker.compose.project", "shop")));
    assertThat(entry.attributes().get(StandardAttributes.CONTAINER_IMAGE_ID))
        .isEqualTo("sha256:abc");
    assertThat(entry.attributes().get(StandardAttributes.COMPOSE_PROJECT)).isEqualTo("shop");
  }

  @Test
  void renameReplacesTheName() {
    cache.learn(meta(1, "old"));
    cache.learn(new ContainerMetadata(id(1), "new", null, null, null));
    assertThat(cache.get(id(1)).attributes().get(StandardAttributes.CONTAINER_NAME))
        .isEqualTo("new");
    assertThat(cache.get(id(1)).metadata().imageName()).isEqualTo("img:1");
  }

  @Test
  void tombstonesResolveUntilTheirTimeIsUp() {
    cache.learn(meta(1, "short"));
    cache.gone(id(1));
    clock.advance(TTL.minusSeconds(1));
    cache.expire();
    assertThat(cache.get(id(1))).isNotNull();
    assertThat(cache.get(id(1)).isTombstone()).isTrue();

    clock.advance(Duration.ofSeconds(1));
    cache.expire();
    assertThat(cache.get(id(1))).isNull();
  }

  @Test
  void goneKeepsTheFirstTimeAndStartedRevives() {
    cache.learn(meta(1, "x"));
    cache.gone(id(1));
    var diedAt = cache.get(id(1)).goneSince();
    clock.advance(Duration.ofSeconds(10));
    cache.gone(id(1)); // destroy after die
    assertThat(cache.get(id(1)).goneSince()).isEqualTo(diedAt);

    cache.started(id(1)); // docker start again
    clock.advance(TTL.multipliedBy(2));
    cache.expire();
    assertThat(cache.get(id(1))).isNotNull();
    assertThat(cache.get(id(1)).isTombstone()).isFalse();
  }

  @Test
  void liveContainersNeverExpire() {
    cache.learn(meta(1, "long"));
    clock.advance(Duration.ofDays(30));
    cache.expire();
    assertThat(cache.get(id(1))).isNotNull();
  }

  @Test
  void indexesCgroupsAndForgetsThemWithTheContainer() {
    cache.learn(meta(1, "a"));
    cache.indexCgroup(id(1), 4242);
    assertThat(cache.containerIdOfCgroup(4242)).isEqualTo(id(1));
    assertThat(cache.containerIdOfCgroup(0)).isNull();

    cache.indexCgroup(id(2), 99); // unknown container: ignored
    assertThat(cache.containerIdOfCgroup(99)).isNull();

    cache.gone(id(1));
    clock.advance(TTL);
    cache.expire();
    assertThat(cache.containerIdOfCgroup(4242)).isNull();
  }

  @Test
  void whenFullTheOldestTombstoneGoesFirst() {
    for (int i = 1; i <= 4; i++) {
      cache.learn(meta(i, "c" + i));
      clock.advance(Duration.ofSeconds(1));
    }
    cache.gone(id(3));
    clock.advance(Duration.ofSeconds(1));
    cache.gone(id(2));
    cache.indexCgroup(id(3), 33);

    cache.learn(meta(5, "c5"));
    assertThat(cache.get(id(3))).as("oldest tombstone").isNull();
    assertThat(cache.containerIdOfCgroup(33)).isNull();
    assertThat(cache.size()).isEqualTo(4);

    cache.learn(meta(6, "c6"));
    assertThat(cache.get(id(2))).as("next tombstone").isNull();

    cache.learn(meta(7, "c7"));
    assertThat(cache.get(id(1))).as("then the live container learned longest ago").isNull();
    assertThat(cache.get(id(7))).as("never the one just learned").isNotNull();
    assertThat(cache.evictions()).isEqualTo(3);
  }

  @Test
  void absenceIsRememberedForItsTtlUnlessLearned() {
    cache.markAbsent(id(9));
    assertThat(cache.isKnownAbsent(id(9))).isTrue();
    clock.advance(ABSENT_TTL);
    assertThat(cache.isKnownAbsent(id(9))).isFalse();

    cache.markAbsent(id(8));
    cache.learn(meta(8, "late"));
    assertThat(cache.isKnownAbsent(id(8))).isFalse();

    cache.markAbsent(id(8)); // a known container is never absent
    assertThat(cache.isKnownAbsent(id(8))).isFalse();
  }

  @Test
  void reconcileBuriesWhatIsNoLongerRunningAndRevivesWhatIs() {
    cache.learn(meta(1, "stays"));
    cache.learn(meta(2, "died-while-away"));
    cache.learn(meta(3, "restarted"));
    cache.gone(id(3));

    cache.reconcile(List.of(meta(1, "stays"), meta(3, "restarted"), meta(4, "new")));

    assertThat(cache.get(id(1)).isTombstone()).isFalse();
    assertThat(cache.get(id(2)).isTombstone()).isTrue();
    assertThat(cache.get(id(3)).isTombstone()).isFalse();
    assertThat(cache.get(id(4)).metadata().name()).isEqualTo("new");
  }

  @Test
  void tellsListenersWhatItLearned() {
    List<String> learned = new ArrayList<>();
    cache.onLearned(learned::add);
    cache.learn(meta(1, "a"));
    cache.learn(meta(1, "a"));
    assertThat(learned).containsExactly(id(1), id(1));
  }
}
