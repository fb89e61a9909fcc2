package io.lanthorn.bpf;

import java.lang.foreign.MemorySegment;

/** Receives ring-buffer records where they lie, without copying them. */
@FunctionalInterface
public interface RecordHandler {

  /**
   * Called once per record, on the thread consuming the ring. The bytes {@code [offset, offset +
   * length)} of {@code buffer} are valid only during the call: the kernel reuses them afterwards.
   * Should not throw: a record whose handler throws is delivered again on the next poll.
   */
  void onRecord(MemorySegment buffer, long offset, int length);
}
