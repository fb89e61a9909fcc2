package io.lanthorn.launcher.pipeline;

import io.lanthorn.api.Event;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded, closable queue of events, many producers and one consumer, moved in batches: one lock
 * round per batch rather than per event, and the consumer is woken only when the buffer stops being
 * empty or holds a full batch.
 *
 * <p>Once {@linkplain #close() closed} it accepts nothing more; the consumer still takes what is
 * left, then sees the end.
 */
final class EventBuffer {
  private final Event[] ring;
  private final int batchSize;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private int head;
  private int count;
  private boolean closed;

  /**
   * @param capacity the most events it holds
   * @param batchSize the consumer's batch size: the fill level at which a lingering consumer wakes
   */
  EventBuffer(int capacity, int batchSize) {
    if (capacity < 1 || batchSize < 1) {
      throw new IllegalArgumentException("capacity and batch size must be positive");
    }
    this.ring = new Event[capacity];
    this.batchSize = batchSize;
  }

  /**
   * Adds events from {@code from} onwards, waiting for room when {@code wait} is set.
   *
   * @return how many were added: fewer than offered when not waiting and full, or when closed or
   *     interrupted while waiting (the interrupt status is kept)
   */
  int add(List<? extends Event> events, int from, boolean wait) {
    int added = 0;
    int remaining = events.size() - from;
    lock.lock();
    try {
      while (remaining > 0 && !closed) {
        if (count == ring.length) {
          if (!wait) {
            break;
          }
          try {
            notFull.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
          continue;
        }
        int wasCount = count;
        int n = Math.min(remaining, ring.length - count);
        for (int i = 0; i < n; i++) {
          ring[(head + count + i) % ring.length] = events.get(from + added + i);
        }
        count += n;
        added += n;
        remaining -= n;
        if (wasCount == 0 || (wasCount < batchSize && count >= batchSize)) {
          notEmpty.signal();
        }
      }
    } finally {
      lock.unlock();
    }
    return added;
  }

  /** Adds one event; see {@link #add(List, int, boolean)}. */
  boolean add(Event event, boolean wait) {
    return add(List.of(event), 0, wait) == 1;
  }

  /**
   * Moves up to {@code max} events into {@code target}: waits for the first, then, when {@code
   * lingerNanos} is positive and fewer than {@code max} are there, up to that long for more.
   *
   * @return how many were moved; 0 only once the buffer is closed and empty
   */
  int take(List<Event> target, int max, long lingerNanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (count == 0) {
        if (closed) {
          return 0;
        }
        notEmpty.await();
      }
      if (lingerNanos > 0 && count < max && !closed) {
        long deadline = System.nanoTime() + lingerNanos;
        long left = lingerNanos;
        while (count < max && !closed && left > 0) {
          notEmpty.awaitNanos(left);
          left = deadline - System.nanoTime();
        }
      }
      int n = Math.min(max, count);
      for (int i = 0; i < n; i++) {
        int index = (head + i) % ring.length;
        target.add(ring[index]);
        ring[index] = null;
      }
      head = (head + n) % ring.length;
      count -= n;
      notFull.signalAll();
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** Refuses further events and wakes every waiter; what is inside can still be taken. */
  void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@link #close()} was called. */
  boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** How many events are waiting. */
  int size() {
    lock.lock();
    try {
      return count;
    } finally {
      lock.unlock();
    }
  }
}
