package io.lanthorn.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads type information (BTF) of a {@link BpfObject}: the layout of its structs as the compiler
 * laid them out, and where its global variables live.
 */
public final class Btf {
  private static final int KIND_STRUCT = 4;
  private static final int KIND_DATASEC = 15;
  // struct btf_type is 12 bytes; struct btf_member and struct btf_var_secinfo, 12 bytes each.
  private static final int TYPE_SIZE = 12;
  private static final int ENTRY_SIZE = 12;

  private final MemorySegment handle;

  Btf(MemorySegment handle) {
    this.handle = handle;
  }

  /** A struct's size and the byte offset of each of its members, in declaration order. */
  public record Struct(String name, long size, Map<String, Long> memberOffsets) {
    /** Copies the map, keeping its order. */
    public Struct {
      memberOffsets = Collections.unmodifiableMap(new LinkedHashMap<>(memberOffsets));
    }
  }

  /** Where a global variable lives in its data section. */
  public record Variable(String name, long offset, long size) {}

  /** The struct with this name, if the object's BTF has it. */
  public Optional<Struct> struct(String name) {
    MemorySegment type = find(name, KIND_STRUCT);
    if (type == null) {
      return Optional.empty();
    }
    int info = type.get(JAVA_INT, 4);
    boolean bitfieldOffsets = (info >>> 31) != 0;
    Map<String, Long> offsets = new LinkedHashMap<>();
    for (int i = 0; i < vlen(info); i++) {
      long member = TYPE_SIZE + (long) i * ENTRY_SIZE;
      int bits = type.get(JAVA_INT, member + 8);
      long bitOffset = bitfieldOffsets ? bits & 0xffffff : Integer.toUnsignedLong(bits);
      offsets.put(name(type.get(JAVA_INT, member)), bitOffset / 8);
    }
    return Optional.of(new Struct(name, Integer.toUnsignedLong(type.get(JAVA_INT, 8)), offsets));
  }

  /** The variable {@code name} of data section {@code section} (e.g. {@code .rodata}). */
  public Optional<Variable> variable(String section, String name) {
    MemorySegment datasec = find(section, KIND_DATASEC);
    if (datasec == null) {
      return Optional.empty();
    }
    for (int i = 0; i < vlen(datasec.get(JAVA_INT, 4)); i++) {
      long entry = TYPE_SIZE + (long) i * ENTRY_SIZE;
      MemorySegment var = type(datasec.get(JAVA_INT, entry), 0);
      if (name.equals(name(var.get(JAVA_INT, 0)))) {
        return Optional.of(
            new Variable(
                name,
                Integer.toUnsignedLong(datasec.get(JAVA_INT, entry + 4)),
                Integer.toUnsignedLong(datasec.get(JAVA_INT, entry + 8))));
      }
    }
    return Optional.empty();
  }

  private MemorySegment find(String name, int kind) {
    int id;
    try (Arena arena = Arena.ofConfined()) {
      id = LibBpf.btfFindByNameKind(handle, arena.allocateFrom(name), kind);
    }
    if (id < 0) {
      return null;
    }
    MemorySegment header = type(id, 0);
    return type(id, vlen(header.get(JAVA_INT, 4)));
  }

  @SuppressWarnings("restricted") // a btf_type is followed by vlen entries, per the BTF format
  private MemorySegment type(int id, int entries) {
    MemorySegment type = LibBpf.btfTypeById(handle, id);
    if (type.equals(MemorySegment.NULL)) {
      throw new BpfException("BTF type " + id + " not found");
    }
    return type.reinterpret(TYPE_SIZE + (long) entries * ENTRY_SIZE);
  }

  private String name(int offset) {
    return Native.cString(LibBpf.btfNameByOffset(handle, offset));
  }

  private static int vlen(int info) {
    return info & 0xffff;
  }
}
