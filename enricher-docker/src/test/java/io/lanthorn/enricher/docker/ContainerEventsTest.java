package io.lanthorn.enricher.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventActor;
import io.lanthorn.api.Counter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

class ContainerEventsTest {
  static final String ID = CgroupNamesTest.ID;

  final MutableClock clock = new MutableClock();
  final ContainerCache cache =
      new ContainerCache(clock, Duration.ofMinutes(5), Duration.ofMinutes(1), 100);
  final ContainerInspector inspector = mock(ContainerInspector.class);
  final AtomicLong applied = new AtomicLong();
  final Counter counter =
      new Counter() {
        @Override
        public void add(long amount) {
          applied.addAndGet(amount);
        }

        @Override
        public long get() {
          return applied.get();
        }
      };
  final ContainerEvents events =
      new ContainerEvents(cache, inspector, NOPLogger.NOP_LOGGER, counter);

  static Event event(String action, long timeNano, Map<String, String> attributes) {
    return new Event(action, ID, "img", timeNano / 1_000_000_000L)
        .withAction(action)
        .withTimenano(timeNano)
        .withEventActor(new EventActor().withId(ID).withAttributes(attributes));
  }

  @Test
  void lifecycleOfAShortLivedContainer() {
    Map<String, String> attrs = Map.of("image", "lanthorn-test:busybox", "name", "short");
    events.accept(event("create", 1_000_000_000_000_000_001L, attrs));
    assertThat(cache.get(ID).metadata().name()).isEqualTo("short");
    verifyNoInteractions(inspector);

    events.accept(event("start", 1_000_000_000_250_000_000L, attrs));
    verify(inspector).indexCgroup(ID);
    verify(inspector).refresh(ID);

    events.accept(
        event("die", 1_000_000_000_380_000_000L, Map.of("exitCode", "0", "name", "short")));
    assertThat(cache.get(ID).isTombstone()).isTrue();
    events.accept(event("destroy", 1_000_000_000_400_000_000L, attrs));
    assertThat(cache.get(ID).isTombstone()).isTrue();
    assertThat(cache.get(ID).metadata().imageName()).isEqualTo("lanthorn-test:busybox");

    assertThat(applied.get()).isEqualTo(4);
    assertThat(events.since()).isEqualTo("1000000000.400000000");
  }

  @Test
  void renameAndRestart() {
    events.accept(event("create", 10, Map.of("image", "img", "name", "before")));
    events.accept(event("die", 20, Map.of("name", "before")));
    events.accept(event("rename", 30, Map.of("name", "after", "oldName", "/before")));
    events.accept(event("start", 40, Map.of("image", "img", "name", "after")));
    assertThat(cache.get(ID).metadata().name()).isEqualTo("after");
    assertThat(cache.get(ID).isTombstone()).isFalse();
  }

  @Test
  void aDieWithoutCreateStillTeachesTheName() {
    events.accept(event("die", 10, Map.of("image", "img", "name", "missed-create")));
    assertThat(cache.get(ID).metadata().name()).isEqualTo("missed-create");
    assertThat(cache.get(ID).isTombstone()).isTrue();
  }

  @Test
  void ignoresMalformedEventsWithoutThrowing() {
    events.accept(new Event("create", "not-an-id", null, 1L).withAction("create"));
    events.accept(new Event(null, null, null, null));
    assertThat(cache.size()).isZero();
    assertThat(events.since()).isNull();
  }

  @Test
  void formatsSince() {
    assertThat(ContainerEvents.formatSince(1_795_627_864_238_150_261L))
        .isEqualTo("1795627864.238150261");
    assertThat(ContainerEvents.formatSince(5)).isEqualTo("0.000000005");
  }
}
