package io.lanthorn.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * Consumes a {@code BPF_MAP_TYPE_RINGBUF} map by reading its memory-mapped pages directly, the way
 * libbpf's {@code ring_buffer__consume} does, but without an upcall per record: records are handed
 * to the handler where they lie. One thread at a time may consume.
 *
 * <p>Layout (kernel {@code bpf_ringbuf}): a read-write page holding the consumer position, then a
 * read-only page holding the producer position followed by the data pages mapped twice in a row, so
 * that a record wrapping around the end is still contiguous. Each record starts with an 8-byte
 * header: its length, with a busy bit (being written) and a discard bit.
 */
public final class RingBuffer implements AutoCloseable {
  private static final int PROT_READ = 1;
  private static final int PROT_WRITE = 2;
  private static final int MAP_SHARED = 1;
  private static final int EPOLL_CLOEXEC = 0x80000;
  private static final int EPOLL_CTL_ADD = 1;
  private static final int EPOLLIN = 1;
  private static final EpollEventLayout EPOLL_EVENT = EpollEventLayout.current();

  private static final int BUSY_BIT = 1 << 31;
  private static final int DISCARD_BIT = 1 << 30;
  private static final int HEADER_SIZE = 8;

  private static final VarHandle POSITION = JAVA_LONG.varHandle();
  private static final VarHandle HEADER = JAVA_INT.varHandle();

  private final String name;
  private final long pageSize;
  private final MemorySegment consumerPage;
  private final MemorySegment producerPages;
  private final MemorySegment data;
  private final long mask;
  private final int epollFd;
  private final MemorySegment epollEvents;
  private boolean closed;

  private RingBuffer(
      String name,
      long pageSize,
      MemorySegment consumerPage,
      MemorySegment producerPages,
      long size,
      int epollFd) {
    this.name = name;
    this.pageSize = pageSize;
    this.consumerPage = consumerPage;
    this.producerPages = producerPages;
    this.data = producerPages.asSlice(pageSize, 2 * size);
    this.mask = size - 1;
    this.epollFd = epollFd;
    this.epollEvents = Arena.ofAuto().allocate(EPOLL_EVENT.size(), 8);
  }

  /** Maps a loaded ring-buffer map for reading and prepares to wait for its wake-ups. */
  @SuppressWarnings("restricted") // mmap returns an address whose length we know
  public static RingBuffer open(BpfMap map) {
    int fd = map.fd();
    long size = Integer.toUnsignedLong(map.maxEntries());
    long pageSize = Libc.getpagesize();
    MemorySegment consumer =
        Libc.mmap(MemorySegment.NULL, pageSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (consumer.address() == -1L) {
      throw BpfException.ofErrno("cannot map ring buffer " + map.name(), Native.errno());
    }
    consumer = consumer.reinterpret(pageSize);
    MemorySegment producer =
        Libc.mmap(MemorySegment.NULL, pageSize + 2 * size, PROT_READ, MAP_SHARED, fd, pageSize);
    if (producer.address() == -1L) {
      int errno = Native.errno();
      Libc.munmap(consumer, pageSize);
      throw BpfException.ofErrno("cannot map ring buffer " + map.name(), errno);
    }
    producer = producer.reinterpret(pageSize + 2 * size);
    int epollFd = Libc.epollCreate1(EPOLL_CLOEXEC);
    if (epollFd < 0) {
      int errno = Native.errno();
      Libc.munmap(consumer, pageSize);
      Libc.munmap(producer, producer.byteSize());
      throw BpfException.ofErrno("cannot create epoll for ring buffer " + map.name(), errno);
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment event = arena.allocate(EPOLL_EVENT.size(), 8);
      event.set(JAVA_INT, EPOLL_EVENT.eventsOffset(), EPOLLIN);
      if (Libc.epollCtl(epollFd, EPOLL_CTL_ADD, fd, event) < 0) {
        int errno = Native.errno();
        Libc.close(epollFd);
        Libc.munmap(consumer, pageSize);
        Libc.munmap(producer, producer.byteSize());
        throw BpfException.ofErrno("cannot watch ring buffer " + map.name(), errno);
      }
    }
    return new RingBuffer(map.name(), pageSize, consumer, producer, size, epollFd);
  }

  /** The ring's data size in bytes. */
  public long size() {
    return mask + 1;
  }

  /** Bytes written by the kernel and not yet consumed. */
  public long pendingBytes() {
    return (long) POSITION.getAcquire(producerPages, 0L)
        - (long) POSITION.getAcquire(consumerPage, 0L);
  }

  /**
   * Waits until the kernel wakes us or {@code timeout} passes, without consuming: for a reader that
   * shares consumption with other threads under its own lock (only one may consume at a time).
   */
  public void await(Duration timeout) {
    int rc =
        Libc.epollWait(
            epollFd, epollEvents, 1, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    if (rc < 0) {
      int errno = Native.errno();
      if (errno != Libc.EINTR) {
        throw BpfException.ofErrno("cannot wait on ring buffer " + name, errno);
      }
    }
  }

  /**
   * Waits until the kernel wakes us or {@code timeout} passes, then consumes every record
   * available.
   *
   * @return the number of records handed to {@code handler}
   */
  public int poll(Duration timeout, RecordHandler handler) {
    await(timeout);
    return consume(handler);
  }

  /**
   * Consumes every record available now, without waiting.
   *
   * @return the number of records handed to {@code handler}
   */
  public int consume(RecordHandler handler) {
    long consumed = (long) POSITION.getAcquire(consumerPage, 0L);
    long published = consumed;
    long publishEvery = (mask + 1) >>> 4;
    int count = 0;
    boolean busy = false;
    long produced;
    while (!busy && consumed < (produced = (long) POSITION.getAcquire(producerPages, 0L))) {
      try {
        while (consumed < produced) {
          long offset = consumed & mask;
          int header = (int) HEADER.getAcquire(data, offset);
          if ((header & BUSY_BIT) != 0) {
            busy = true; // the producer is still writing it: it is first in line next time
            break;
          }
          int length = header & ~(BUSY_BIT | DISCARD_BIT);
          if ((header & DISCARD_BIT) == 0) {
            handler.onRecord(data, offset + HEADER_SIZE, length);
            count++;
          }
          consumed += (length + HEADER_SIZE + 7) & ~7L;
          if (consumed - published >= publishEvery) {
            // A long pass (or a handler that blocks) still hands space back as it goes.
            POSITION.setRelease(consumerPage, 0L, consumed);
            published = consumed;
          }
        }
      } finally {
        // Published once per pass (or sixteenth of the ring) rather than per record: each store
        // takes the position's cache line away from the producers, which read it on every
        // reservation.
        POSITION.setRelease(consumerPage, 0L, consumed);
        published = consumed;
      }
    }
    return count;
  }

  /** Unmaps the ring; the map itself belongs to its object. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Libc.close(epollFd);
    Libc.munmap(consumerPage, pageSize);
    Libc.munmap(producerPages, producerPages.byteSize());
  }
}
