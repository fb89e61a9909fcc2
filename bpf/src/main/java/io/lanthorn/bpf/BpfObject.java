package io.lanthorn.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A BPF object file (the ELF clang produced) opened by libbpf: its programs and maps, configured
 * before {@link #load()}, usable after it. Not thread-safe; closing it detaches every link made
 * from its programs and releases all kernel objects it holds.
 */
public final class BpfObject implements AutoCloseable {
  private static final String RODATA_SUFFIX = ".rodata";

  private final String name;
  // Holds the ELF image and strings libbpf keeps pointers to, until close.
  private final Arena arena;
  private final MemorySegment handle;
  private final List<BpfLink> links = new ArrayList<>();
  private boolean loaded;
  private boolean closed;

  private BpfObject(String name, Arena arena, MemorySegment handle) {
    this.name = name;
    this.arena = arena;
    this.handle = handle;
  }

  /**
   * Opens an object from its ELF bytes; nothing is loaded into the kernel yet.
   *
   * @param name the object's name, used by libbpf for its internal maps and in messages
   */
  @SuppressWarnings("MustBeClosedChecker") // the arena lives as long as the object: close() ends it
  public static BpfObject open(String name, byte[] elf) {
    LibBpfLog.install();
    Arena arena = Arena.ofShared();
    try {
      MemorySegment image = arena.allocateFrom(JAVA_BYTE, elf);
      // struct bpf_object_open_opts up to object_name; libbpf treats the rest as unset.
      MemorySegment opts = arena.allocate(16, 8);
      opts.set(JAVA_LONG, 0, opts.byteSize());
      opts.set(ADDRESS, 8, arena.allocateFrom(name));
      MemorySegment obj = LibBpf.objectOpenMem(image, image.byteSize(), opts);
      if (obj.equals(MemorySegment.NULL)) {
        throw BpfException.ofErrno("cannot open BPF object " + name, Native.errno());
      }
      return new BpfObject(name, arena, obj);
    } catch (RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  /** The name given to {@link #open}. */
  public String name() {
    return name;
  }

  /** The program with this (C function) name. */
  public BpfProgram program(String programName) {
    MemorySegment prog = LibBpf.objectFindProgram(handle, arena.allocateFrom(programName));
    if (prog.equals(MemorySegment.NULL)) {
      throw new BpfException("BPF object " + name + " has no program " + programName);
    }
    return new BpfProgram(this, prog, programName);
  }

  /** Every program in the object, in ELF order. */
  public List<BpfProgram> programs() {
    List<BpfProgram> programs = new ArrayList<>();
    MemorySegment prog = LibBpf.objectNextProgram(handle, MemorySegment.NULL);
    while (!prog.equals(MemorySegment.NULL)) {
      programs.add(new BpfProgram(this, prog, Native.cString(LibBpf.programName(prog))));
      prog = LibBpf.objectNextProgram(handle, prog);
    }
    return programs;
  }

  /** The map with this name. */
  public BpfMap map(String mapName) {
    MemorySegment map = LibBpf.objectFindMap(handle, arena.allocateFrom(mapName));
    if (map.equals(MemorySegment.NULL)) {
      throw new BpfException("BPF object " + name + " has no map " + mapName);
    }
    return new BpfMap(map, mapName);
  }

  /** Every map in the object, including libbpf's internal ones such as {@code .rodata}. */
  public List<BpfMap> maps() {
    List<BpfMap> maps = new ArrayList<>();
    MemorySegment map = LibBpf.objectNextMap(handle, MemorySegment.NULL);
    while (!map.equals(MemorySegment.NULL)) {
      maps.add(new BpfMap(map, Native.cString(LibBpf.mapName(map))));
      map = LibBpf.objectNextMap(handle, map);
    }
    return maps;
  }

  /** The object's own type information (not the kernel's). */
  public Btf btf() {
    MemorySegment btf = LibBpf.objectBtf(handle);
    if (btf.equals(MemorySegment.NULL)) {
      throw new BpfException("BPF object " + name + " has no BTF: compile it with clang -g");
    }
    return new Btf(btf);
  }

  /**
   * Sets a {@code const volatile} global of the program before load; the verifier then sees it as a
   * constant and prunes the code it disables.
   */
  @SuppressWarnings("restricted") // libbpf returns the .rodata image with its size
  public void setConstant(String variable, long value) {
    requireNotLoaded("set constant " + variable);
    BpfMap rodata =
        maps().stream()
            .filter(m -> m.name().endsWith(RODATA_SUFFIX))
            .findFirst()
            .orElseThrow(() -> new BpfException("BPF object " + name + " has no constants"));
    Btf.Variable var =
        btf()
            .variable(RODATA_SUFFIX, variable)
            .orElseThrow(
                () -> new BpfException("BPF object " + name + " has no constant " + variable));
    MemorySegment size = arena.allocate(JAVA_LONG);
    MemorySegment image = LibBpf.mapInitialValue(rodata.handle(), size);
    if (image.equals(MemorySegment.NULL)) {
      throw BpfException.ofErrno("cannot read constants of " + name, Native.errno());
    }
    image = image.reinterpret(size.get(JAVA_LONG, 0));
    switch ((int) var.size()) {
      case 1 -> image.set(JAVA_BYTE, var.offset(), (byte) value);
      case 4 -> image.set(JAVA_INT, var.offset(), (int) value);
      case 8 -> image.set(JAVA_LONG, var.offset(), value);
      default ->
          throw new BpfException(
              "constant " + variable + " of " + name + " has unsupported size " + var.size());
    }
  }

  /**
   * Loads the programs marked for autoload and creates the maps. On failure the libbpf log (with
   * the verifier's reasons) has already gone to the {@code io.lanthorn.bpf.libbpf} logger.
   */
  public void load() {
    requireNotLoaded("load");
    int rc = LibBpf.objectLoad(handle);
    if (rc < 0) {
      throw BpfException.ofErrno("cannot load BPF object " + name, -rc);
    }
    loaded = true;
  }

  void requireNotLoaded(String what) {
    if (loaded) {
      throw new IllegalStateException("cannot " + what + ": BPF object " + name + " is loaded");
    }
  }

  void requireLoaded(String what) {
    if (!loaded) {
      throw new IllegalStateException("cannot " + what + ": BPF object " + name + " not loaded");
    }
  }

  BpfLink track(BpfLink link) {
    links.add(link);
    return link;
  }

  /** Detaches every link still attached, then unloads programs and releases maps. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      for (BpfLink link : links.reversed()) {
        link.close();
      }
      LibBpf.objectClose(handle);
    } finally {
      arena.close();
    }
  }
}
