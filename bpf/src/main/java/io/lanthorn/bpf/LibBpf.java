package io.lanthorn.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;

/**
 * The libbpf functions Lanthorn uses, bound through FFM to the system's {@code libbpf.so.1}.
 *
 * <p>Conventions of libbpf 1.x that callers rely on: functions returning a pointer return NULL and
 * set errno on failure (read it with {@link Native#errno()}); functions returning {@code int}
 * return a negative error number. {@code libbpf_get_error} is deliberately not used.
 */
final class LibBpf {
  static final String LIBRARY = "libbpf.so.1";

  private static SymbolLookup lookup;

  private LibBpf() {}

  /** The loaded library, or a one-line error naming the package that provides it. */
  @SuppressWarnings("restricted") // loading a native library
  static synchronized SymbolLookup library() {
    if (lookup == null) {
      try {
        lookup = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
      } catch (IllegalArgumentException e) {
        throw new BpfException(
            LIBRARY + " not found: install libbpf 1.1 or newer (Debian/Ubuntu package libbpf1)", e);
      }
    }
    return lookup;
  }

  private static Native.Function fn(String name, FunctionDescriptor descriptor) {
    return new Native.Function(LibBpf::library, LIBRARY, name, descriptor);
  }

  private static final Native.Function STRERROR =
      fn("libbpf_strerror", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
  private static final Native.Function SET_PRINT =
      fn("libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));
  private static final Native.Function NUM_POSSIBLE_CPUS =
      fn("libbpf_num_possible_cpus", FunctionDescriptor.of(JAVA_INT));

  private static final Native.Function OBJECT_OPEN_MEM =
      fn("bpf_object__open_mem", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
  private static final Native.Function OBJECT_LOAD =
      fn("bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private static final Native.Function OBJECT_CLOSE =
      fn("bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
  private static final Native.Function OBJECT_FIND_PROGRAM =
      fn("bpf_object__find_program_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
  private static final Native.Function OBJECT_FIND_MAP =
      fn("bpf_object__find_map_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
  private static final Native.Function OBJECT_NEXT_PROGRAM =
      fn("bpf_object__next_program", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
  private static final Native.Function PROGRAM_NAME =
      fn("bpf_program__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
  private static final Native.Function OBJECT_NEXT_MAP =
      fn("bpf_object__next_map", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
  private static final Native.Function OBJECT_BTF =
      fn("bpf_object__btf", FunctionDescriptor.of(ADDRESS, ADDRESS));

  private static final Native.Function PROGRAM_SET_AUTOLOAD =
      fn("bpf_program__set_autoload", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BOOLEAN));
  private static final Native.Function PROGRAM_FD =
      fn("bpf_program__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private static final Native.Function PROGRAM_ATTACH =
      fn("bpf_program__attach", FunctionDescriptor.of(ADDRESS, ADDRESS));
  private static final Native.Function PROGRAM_ATTACH_TRACEPOINT =
      fn(
          "bpf_program__attach_tracepoint",
          FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
  private static final Native.Function PROGRAM_ATTACH_CGROUP =
      fn("bpf_program__attach_cgroup", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
  private static final Native.Function PROG_QUERY =
      fn(
          "bpf_prog_query",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
  private static final Native.Function LINK_DESTROY =
      fn("bpf_link__destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private static final Native.Function LINK_FD =
      fn("bpf_link__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));

  private static final Native.Function MAP_NAME =
      fn("bpf_map__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
  private static final Native.Function MAP_FD =
      fn("bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private static final Native.Function MAP_SET_MAX_ENTRIES =
      fn("bpf_map__set_max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
  private static final Native.Function MAP_MAX_ENTRIES =
      fn("bpf_map__max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private static final Native.Function MAP_KEY_SIZE =
      fn("bpf_map__key_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private static final Native.Function MAP_VALUE_SIZE =
      fn("bpf_map__value_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private static final Native.Function MAP_INITIAL_VALUE =
      fn("bpf_map__initial_value", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));

  private static final Native.Function MAP_LOOKUP_ELEM =
      fn("bpf_map_lookup_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  private static final Native.Function MAP_DELETE_ELEM =
      fn("bpf_map_delete_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
  private static final Native.Function MAP_GET_NEXT_KEY =
      fn("bpf_map_get_next_key", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  private static final Native.Function OBJ_GET_INFO_BY_FD =
      fn("bpf_obj_get_info_by_fd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  private static final Native.Function PROG_TEST_RUN_OPTS =
      fn("bpf_prog_test_run_opts", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
  private static final Native.Function PROG_GET_FD_BY_ID =
      fn("bpf_prog_get_fd_by_id", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final Native.Function LINK_GET_FD_BY_ID =
      fn("bpf_link_get_fd_by_id", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final Native.Function MAP_GET_FD_BY_ID =
      fn("bpf_map_get_fd_by_id", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

  private static final Native.Function BTF_FIND_BY_NAME_KIND =
      fn("btf__find_by_name_kind", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
  private static final Native.Function BTF_TYPE_BY_ID =
      fn("btf__type_by_id", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
  private static final Native.Function BTF_NAME_BY_OFFSET =
      fn("btf__name_by_offset", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));

  /** libbpf's description of an error number, including its own codes above 4000. */
  static String strerror(int errno) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(128);
      int rc = (int) STRERROR.handle().invokeExact(Native.callState(), errno, buf, buf.byteSize());
      return rc == 0 ? buf.getString(0) : "error " + errno;
    } catch (BpfException e) {
      return "error " + errno; // no libbpf: the number alone still says something
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static MemorySegment setPrint(MemorySegment fn) {
    try {
      return (MemorySegment) SET_PRINT.handle().invokeExact(Native.callState(), fn);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int numPossibleCpus() {
    try {
      return (int) NUM_POSSIBLE_CPUS.handle().invokeExact(Native.callState());
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static MemorySegment objectOpenMem(MemorySegment buf, long size, MemorySegment opts) {
    try {
      return (MemorySegment)
          OBJECT_OPEN_MEM.handle().invokeExact(Native.callState(), buf, size, opts);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int objectLoad(MemorySegment obj) {
    try {
      return (int) OBJECT_LOAD.handle().invokeExact(Native.callState(), obj);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static void objectClose(MemorySegment obj) {
    try {
      OBJECT_CLOSE.handle().invokeExact(Native.callState(), obj);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static MemorySegment objectFindProgram(MemorySegment obj, MemorySegment name) {
    try {
      return (MemorySegment)
          OBJECT_FIND_PROGRAM.handle().invokeExact(Native.callState(), obj, name);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static MemorySegment objectFindMap(MemorySegment obj, MemorySegment name) {
    try {
      return (MemorySegment) OBJECT_FIND_MAP.handle().invokeExact(Native.callState(), obj, name);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static MemorySegment objectNextProgram(MemorySegment obj, MemorySegment previous) {
    try {
      return (MemorySegment)
          OBJECT_NEXT_PROGRAM.handle().invokeExact(Native.callState(), obj, previous);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static MemorySegment programName(MemorySegment prog) {
    try {
      return (MemorySegment) PROGRAM_NAME.handle().invokeExact(Native.callState(), prog);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static MemorySegment objectNextMap(MemorySegment obj, MemorySegment previous) {
    try {
      return (MemorySegment)
          OBJECT_NEXT_MAP.handle().invokeExact(Native.callState(), obj, previous);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static MemorySegment objectBtf(MemorySegment obj) {
    try {
      return (MemorySegment) OBJECT_BTF.handle().invokeExact(Native.callState(), obj);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int programSetAutoload(MemorySegment prog, boolean autoload) {
    try {
      return (int) PROGRAM_SET_AUTOLOAD.handle().invokeExact(Native.callState(), prog, autoload);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int programFd(MemorySegment prog) {
    try {
      return (int) PROGRAM_FD.handle().invokeExact(Native.callState(), prog);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static MemorySegment programAttach(MemorySegment prog) {
    try {
      return (MemorySegment) PROGRAM_ATTACH.handle().invokeExact(Native.callState(), prog);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static MemorySegment programAttachTracepoint(
      MemorySegment prog, MemorySegment category, MemorySegment name) {
    try {
      return (MemorySegment)
          PROGRAM_ATTACH_TRACEPOINT.handle().invokeExact(Native.callState(), prog, category, name);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static MemorySegment programAttachCgroup(MemorySegment prog, int cgroupFd) {
    try {
      return (MemorySegment)
          PROGRAM_ATTACH_CGROUP.handle().invokeExact(Native.callState(), prog, cgroupFd);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int progQuery(
      int targetFd,
      int attachType,
      int queryFlags,
      MemorySegment attachFlags,
      MemorySegment progIds,
      MemorySegment progCount) {
    try {
      return (int)
          PROG_QUERY
              .handle()
              .invokeExact(
                  Native.callState(),
                  targetFd,
                  attachType,
                  queryFlags,
                  attachFlags,
                  progIds,
                  progCount);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int linkDestroy(MemorySegment link) {
    try {
      return (int) LINK_DESTROY.handle().invokeExact(Native.callState(), link);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int linkFd(MemorySegment link) {
    try {
      return (int) LINK_FD.handle().invokeExact(Native.callState(), link);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static MemorySegment mapName(MemorySegment map) {
    try {
      return (MemorySegment) MAP_NAME.handle().invokeExact(Native.callState(), map);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int mapFd(MemorySegment map) {
    try {
      return (int) MAP_FD.handle().invokeExact(Native.callState(), map);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int mapSetMaxEntries(MemorySegment map, int maxEntries) {
    try {
      return (int) MAP_SET_MAX_ENTRIES.handle().invokeExact(Native.callState(), map, maxEntries);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int mapMaxEntries(MemorySegment map) {
    try {
      return (int) MAP_MAX_ENTRIES.handle().invokeExact(Native.callState(), map);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int mapKeySize(MemorySegment map) {
    try {
      return (int) MAP_KEY_SIZE.handle().invokeExact(Native.callState(), map);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int mapValueSize(MemorySegment map) {
    try {
      return (int) MAP_VALUE_SIZE.handle().invokeExact(Native.callState(), map);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static MemorySegment mapInitialValue(MemorySegment map, MemorySegment sizeOut) {
    try {
      return (MemorySegment)
          MAP_INITIAL_VALUE.handle().invokeExact(Native.callState(), map, sizeOut);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int mapLookupElem(int fd, MemorySegment key, MemorySegment value) {
    try {
      return (int) MAP_LOOKUP_ELEM.handle().invokeExact(Native.callState(), fd, key, value);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int mapDeleteElem(int fd, MemorySegment key) {
    try {
      return (int) MAP_DELETE_ELEM.handle().invokeExact(Native.callState(), fd, key);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int mapGetNextKey(int fd, MemorySegment key, MemorySegment nextKey) {
    try {
      return (int) MAP_GET_NEXT_KEY.handle().invokeExact(Native.callState(), fd, key, nextKey);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int objGetInfoByFd(int fd, MemorySegment info, MemorySegment length) {
    try {
      return (int) OBJ_GET_INFO_BY_FD.handle().invokeExact(Native.callState(), fd, info, length);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int progTestRunOpts(int fd, MemorySegment opts) {
    try {
      return (int) PROG_TEST_RUN_OPTS.handle().invokeExact(Native.callState(), fd, opts);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int progGetFdById(int id) {
    try {
      return (int) PROG_GET_FD_BY_ID.handle().invokeExact(Native.callState(), id);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int linkGetFdById(int id) {
    try {
      return (int) LINK_GET_FD_BY_ID.handle().invokeExact(Native.callState(), id);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int mapGetFdById(int id) {
    try {
      return (int) MAP_GET_FD_BY_ID.handle().invokeExact(Native.callState(), id);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static int btfFindByNameKind(MemorySegment btf, MemorySegment name, int kind) {
    try {
      return (int) BTF_FIND_BY_NAME_KIND.handle().invokeExact(Native.callState(), btf, name, kind);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static MemorySegment btfTypeById(MemorySegment btf, int id) {
    try {
      return (MemorySegment) BTF_TYPE_BY_ID.handle().invokeExact(Native.callState(), btf, id);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static MemorySegment btfNameByOffset(MemorySegment btf, int offset) {
    try {
      return (MemorySegment)
          BTF_NAME_BY_OFFSET.handle().invokeExact(Native.callState(), btf, offset);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }
}
