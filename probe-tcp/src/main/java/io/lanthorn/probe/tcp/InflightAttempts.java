package io.lanthorn.probe.tcp;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.lanthorn.bpf.BpfMap;
import io.lanthorn.bpf.MappedArray;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The attempts the kernel program holds between SYN_SENT and the end of their handshake: in its
 * direct-mapped table {@code lt_tcp_slots} (mmapped here, slots claimed and freed with
 * compare-and-swap, which this class uses too) and, for those whose slot was taken, in its hash map
 * {@code lt_tcp_inflight}. Each value is a {@code struct tcp_event}.
 */
final class InflightAttempts implements AutoCloseable {
  private static final VarHandle SOCKET = JAVA_LONG.varHandle();
  private static final long BEING_WRITTEN = 1; // added to the socket's address while claimed

  private final MappedArray slots;
  private final BpfMap overflow;

  InflightAttempts(MappedArray slots, BpfMap overflow) {
    this.slots = slots;
    this.overflow = overflow;
  }

  /**
   * Hands every attempt to {@code handler}, for when the program is detached. A slot a last run of
   * the program was still writing is waited for, until {@code deadlineNanos} ({@link
   * System#nanoTime()}): a run takes microseconds, so one still being written then is a bug, and is
   * skipped rather than read half-written.
   *
   * @return how many slots were skipped so
   */
  int forEach(Consumer<MemorySegment> handler, long deadlineNanos) throws InterruptedException {
    int skipped = 0;
    MemorySegment all = slots.elements();
    for (int i = 0; i < slots.length(); i++) {
      long slot = i * slots.stride();
      long socket;
      while (((socket = (long) SOCKET.getAcquire(all, slot + RecordLayout.SLOT_SOCKET))
                  & BEING_WRITTEN)
              != 0
          && System.nanoTime() < deadlineNanos) {
        Thread.sleep(1);
      }
      if ((socket & BEING_WRITTEN) != 0) {
        skipped++;
      } else if (socket != 0) {
        handler.accept(all.asSlice(slot + RecordLayout.SLOT_ATTEMPT, RecordLayout.SIZE));
      }
    }
    overflow.forEach((key, value) -> handler.accept(value));
    return skipped;
  }

  /**
   * Removes the attempts that started before {@code startedBefore} (kernel monotonic time).
   *
   * @return how many it removed: neither the kernel nor anyone else counts them
   */
  int removeStartedBefore(long startedBefore) {
    int removed = 0;
    MemorySegment all = slots.elements();
    for (int i = 0; i < slots.length(); i++) {
      long slot = i * slots.stride();
      long socket = (long) SOCKET.getAcquire(all, slot + RecordLayout.SLOT_SOCKET);
      if (socket != 0
          && (socket & BEING_WRITTEN) == 0
          && all.get(JAVA_LONG, slot + RecordLayout.SLOT_ATTEMPT + RecordLayout.START_NS)
              < startedBefore
          // Fails if the handshake's end, or a new attempt on the same socket, took it meanwhile:
          // then they count it.
          && SOCKET.compareAndSet(all, slot + RecordLayout.SLOT_SOCKET, socket, 0L)) {
        removed++;
      }
    }
    List<Long> stale = new ArrayList<>();
    overflow.forEach(
        (key, value) -> {
          if (value.get(JAVA_LONG, RecordLayout.START_NS) < startedBefore) {
            stale.add(key.get(JAVA_LONG, 0));
          }
        });
    if (!stale.isEmpty()) {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment key = arena.allocate(JAVA_LONG);
        for (long socket : stale) {
          key.set(JAVA_LONG, 0, socket);
          if (overflow.delete(key)) {
            removed++;
          }
        }
      }
    }
    return removed;
  }

  /** Unmaps the table; the maps belong to the program's object. */
  @Override
  public void close() {
    slots.close();
  }
}
