package io.lanthorn.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the test program in the kernel and checks every reader against what it wrote. */
class RingBufferTest {
  private static final int SAMPLE_SIZE = 32;
  private static final int MARKER = 0x5eed;

  private BpfObject object;
  private BpfProgram produce;
  private RingBuffer ring;
  private final List<Long> seen = new ArrayList<>();
  private final RecordHandler collect =
      (buffer, offset, length) -> {
        assertThat(length).isEqualTo(SAMPLE_SIZE);
        assertThat(buffer.get(JAVA_INT, offset + 12)).isEqualTo(MARKER);
        seen.add(buffer.get(JAVA_LONG, offset));
      };

  @BeforeEach
  void load() {
    TestObjects.assumeBpf();
    object = BpfObject.open("ring_test", TestObjects.ringTestElf());
    object.setConstant("marker", MARKER);
    object.load();
    produce = object.program("produce");
    ring = RingBuffer.open(object.map("ring"));
  }

  @AfterEach
  void close() {
    if (ring != null) {
      ring.close();
    }
    if (object != null) {
      object.close();
    }
  }

  private void produce(int count, int first) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment args = arena.allocate(8, 4);
      args.set(JAVA_INT, 0, count);
      args.set(JAVA_INT, 4, first);
      assertThat(produce.run(args)).isZero();
    }
  }

  @Test
  void consumesInOrderAcrossTheEndOfTheRing() {
    // 40 bytes per record in a 4096-byte ring: 15 rounds of 50 wrap around several times.
    List<Long> expected = new ArrayList<>();
    for (int round = 0; round < 15; round++) {
      produce(50, round * 50);
      assertThat(ring.consume(collect)).isEqualTo(50);
      for (long i = round * 50L; i < round * 50L + 50; i++) {
        expected.add(i);
      }
    }
    assertThat(seen).isEqualTo(expected);
    assertThat(ring.pendingBytes()).isZero();
  }

  @Test
  void countsWhatDidNotFitAndKeepsTheRest() {
    produce(200, 0);

    long[] totals = new PerCpuCounters(object.map("totals")).read();
    int consumed = ring.poll(Duration.ofMillis(10), collect);

    assertThat(totals[0]).isEqualTo(1); // calls
    assertThat(totals[1] + totals[2]).isEqualTo(200); // records + ring_full
    assertThat(totals[2]).isPositive();
    assertThat(consumed).isEqualTo(totals[1]);
    assertThat(seen).startsWith(0L, 1L, 2L).hasSize((int) totals[1]);
  }

  @Test
  void iteratesAndDeletesFromHashMaps() {
    produce(20, 100);
    Map<Long, Long> entries = new HashMap<>();

    object
        .map("table")
        .forEach((key, value) -> entries.put(key.get(JAVA_LONG, 0), value.get(JAVA_LONG, 0)));

    assertThat(entries).hasSize(20);
    entries.forEach((key, value) -> assertThat(value).isEqualTo(key));

    try (Arena arena = Arena.ofConfined()) {
      MemorySegment key = arena.allocate(JAVA_LONG);
      key.set(JAVA_LONG, 0, 105L);
      assertThat(object.map("table").delete(key)).isTrue();
      assertThat(object.map("table").delete(key)).isFalse();
    }
  }

  @Test
  void sharesMmapableArraysWithTheKernel() {
    produce(12, 100); // cells 0..3 get 104..107; 4..7 get 100..103, then 108..111

    try (MappedArray cells = MappedArray.open(object.map("cells"))) {
      assertThat(cells.length()).isEqualTo(8);
      assertThat(cells.stride()).isEqualTo(24);
      MemorySegment all = cells.elements();
      for (int i = 0; i < 8; i++) {
        long seq = all.get(JAVA_LONG, i * cells.stride());
        assertThat(seq % 8).isEqualTo(i);
        assertThat(seq).isBetween(100L, 111L);
        assertThat(all.get(JAVA_LONG, i * cells.stride() + 8)).isEqualTo(seq >= 108 ? 2 : 1);
        assertThat(cells.element(i).get(JAVA_INT, 16)).isEqualTo(MARKER);
      }

      // What user space writes there, the kernel sees.
      VarHandle written = JAVA_LONG.varHandle();
      assertThat(written.compareAndSet(all, 3 * cells.stride() + 8, 1L, 40L)).isTrue();
      produce(1, 3);
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment key = arena.allocate(JAVA_INT);
        MemorySegment value = arena.allocate(24, 8);
        key.set(JAVA_INT, 0, 3);
        assertThat(object.map("cells").lookup(key, value)).isTrue();
        assertThat(value.get(JAVA_LONG, 0)).isEqualTo(3L);
        assertThat(value.get(JAVA_LONG, 8)).isEqualTo(41L);
      }
    }
  }

  @Test
  void leavesNothingBehindWhenClosed() {
    int programId = produce.id();
    int mapId = object.map("table").id();
    assertThat(KernelObjects.programExists(programId)).isTrue();
    assertThat(KernelObjects.mapExists(mapId)).isTrue();

    ring.close();
    object.close();

    // The kernel frees programs and maps after an RCU grace period.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !KernelObjects.programExists(programId) && !KernelObjects.mapExists(mapId));
  }
}
