package io.lanthorn.bpf;

import java.lang.foreign.MemorySegment;

/**
 * A {@code BPF_MAP_TYPE_ARRAY} created with {@code BPF_F_MMAPABLE}, mapped into this process: its
 * elements are read and written where they lie, in the same memory the kernel programs use, so
 * atomic operations (a {@link java.lang.invoke.VarHandle}'s compare-and-set) work against theirs.
 * Valid until closed; close it before the map's object.
 */
public final class MappedArray implements AutoCloseable {
  private static final int PROT_READ = 1;
  private static final int PROT_WRITE = 2;
  private static final int MAP_SHARED = 1;

  private final MemorySegment memory;
  private final long mappedSize;
  private final long stride;
  private final int length;
  private boolean closed;

  private MappedArray(MemorySegment memory, long mappedSize, long stride, int length) {
    this.memory = memory;
    this.mappedSize = mappedSize;
    this.stride = stride;
    this.length = length;
  }

  /** Maps a loaded array map that was created with {@code BPF_F_MMAPABLE}. */
  @SuppressWarnings("restricted") // mmap returns an address whose length we know
  public static MappedArray open(BpfMap map) {
    int length = map.maxEntries();
    // The kernel lays elements out 8-byte aligned, from the start of the mapping.
    long stride = (map.valueSize() + 7L) & ~7L;
    long pageSize = Libc.getpagesize();
    long size = (stride * length + pageSize - 1) / pageSize * pageSize;
    MemorySegment memory =
        Libc.mmap(MemorySegment.NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, map.fd(), 0);
    if (memory.address() == -1L) {
      throw BpfException.ofErrno(
          "cannot map array " + map.name() + " (was it created with BPF_F_MMAPABLE?)",
          Native.errno());
    }
    return new MappedArray(memory.reinterpret(size), size, stride, length);
  }

  /** How many elements the array has. */
  public int length() {
    return length;
  }

  /** Bytes from one element to the next: the value size rounded up to 8. */
  public long stride() {
    return stride;
  }

  /** All elements, one every {@link #stride()} bytes, from a page-aligned start. */
  public MemorySegment elements() {
    if (closed) {
      throw new IllegalStateException("array is unmapped");
    }
    return memory.asSlice(0, stride * length);
  }

  /** Element {@code index}, {@link #stride()} bytes, 8-byte aligned. */
  public MemorySegment element(int index) {
    if (closed) {
      throw new IllegalStateException("array is unmapped");
    }
    return memory.asSlice(index * stride, stride);
  }

  /** Unmaps the array; the map itself belongs to its object. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Libc.munmap(memory, mappedSize);
    }
  }
}
