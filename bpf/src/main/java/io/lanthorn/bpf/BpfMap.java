package io.lanthorn.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A map of a {@link BpfObject}; valid while the object is open. Lookups are thread-safe. */
public final class BpfMap {
  private static final int ENOENT = 2;
  // struct bpf_map_info: type, id, …
  private static final int INFO_SIZE = 8;
  private static final long INFO_ID = 4;

  private final MemorySegment handle;
  private final String name;

  BpfMap(MemorySegment handle, String name) {
    this.handle = handle;
    this.name = name;
  }

  MemorySegment handle() {
    return handle;
  }

  /** The map's name as libbpf knows it. */
  public String name() {
    return name;
  }

  /** Sets the capacity (for a ring buffer: its size in bytes); only before the object is loaded. */
  public void setMaxEntries(int maxEntries) {
    int rc = LibBpf.mapSetMaxEntries(handle, maxEntries);
    if (rc < 0) {
      throw BpfException.ofErrno("cannot set size of map " + name + " to " + maxEntries, -rc);
    }
  }

  /** The capacity (for a ring buffer: its size in bytes). */
  public int maxEntries() {
    return LibBpf.mapMaxEntries(handle);
  }

  /** The size of a key in bytes. */
  public int keySize() {
    return LibBpf.mapKeySize(handle);
  }

  /** The size of a value in bytes (for per-CPU maps: of one CPU's value). */
  public int valueSize() {
    return LibBpf.mapValueSize(handle);
  }

  /** The map's file descriptor, after load. */
  public int fd() {
    int fd = LibBpf.mapFd(handle);
    if (fd < 0) {
      throw new IllegalStateException("map " + name + " is not created: load its object first");
    }
    return fd;
  }

  /** The kernel's id for the map (as {@code bpftool map show} lists it). */
  public int id() {
    return KernelObjects.info(fd(), INFO_SIZE, "map " + name).get(JAVA_INT, INFO_ID);
  }

  /**
   * Copies the value for {@code key} into {@code value}.
   *
   * @return false when there is no such key
   */
  public boolean lookup(MemorySegment key, MemorySegment value) {
    int rc = LibBpf.mapLookupElem(fd(), key, value);
    if (rc == -ENOENT) {
      return false;
    }
    if (rc < 0) {
      throw BpfException.ofErrno("cannot look up map " + name, -rc);
    }
    return true;
  }

  /**
   * Deletes the entry for {@code key}.
   *
   * @return false when there was no such key
   */
  public boolean delete(MemorySegment key) {
    int rc = LibBpf.mapDeleteElem(fd(), key);
    if (rc == -ENOENT) {
      return false;
    }
    if (rc < 0) {
      throw BpfException.ofErrno("cannot delete from map " + name, -rc);
    }
    return true;
  }

  /** Receives one map entry; the segments are reused for the next one. */
  @FunctionalInterface
  public interface EntryHandler {
    /** Called with the key and the value of one entry. */
    void onEntry(MemorySegment key, MemorySegment value);
  }

  /**
   * Calls {@code handler} for every entry of a hash map. Entries added or removed meanwhile may or
   * may not be seen; an entry is never seen twice unless it was deleted and re-added.
   */
  public void forEach(EntryHandler handler) {
    int fd = fd();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment key = arena.allocate(keySize(), 8);
      MemorySegment next = arena.allocate(keySize(), 8);
      MemorySegment value = arena.allocate(valueSize(), 8);
      MemorySegment previous = MemorySegment.NULL;
      while (true) {
        int rc = LibBpf.mapGetNextKey(fd, previous, next);
        if (rc == -ENOENT) {
          return;
        }
        if (rc < 0) {
          throw BpfException.ofErrno("cannot iterate map " + name, -rc);
        }
        key.copyFrom(next);
        previous = key;
        if (lookup(key, value)) {
          handler.onEntry(key, value);
        }
      }
    }
  }
}
