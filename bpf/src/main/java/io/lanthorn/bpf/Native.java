package io.lanthorn.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.function.Supplier;

/** The plumbing every binding shares: lazy symbol lookup and errno capture. */
final class Native {
  static final Linker LINKER = Linker.nativeLinker();

  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  // One errno slot per thread, so capturing errno allocates nothing on the call path.
  private static final ThreadLocal<MemorySegment> STATE =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

  private Native() {}

  /** The calling thread's errno capture segment: the first argument of every bound function. */
  static MemorySegment callState() {
    return STATE.get();
  }

  /** The errno the calling thread's last bound call left behind. */
  static int errno() {
    return (int) ERRNO.get(STATE.get(), 0L);
  }

  /** The NUL-terminated string a C function returned; {@code null} for NULL. */
  @SuppressWarnings("restricted") // the C string's length is only known by scanning it
  static String cString(MemorySegment pointer) {
    return pointer.equals(MemorySegment.NULL)
        ? null
        : pointer.reinterpret(Long.MAX_VALUE).getString(0);
  }

  /** Unwraps what {@code invokeExact} throws: our own exceptions pass, anything else is a bug. */
  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException e) {
      return e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException("native call failed", t);
  }

  /**
   * A C function bound on first use. Binding lazily means a symbol missing from an older library
   * fails only the feature that needs it, with a message naming the symbol, and never the class.
   */
  static final class Function {
    private final Supplier<SymbolLookup> library;
    private final String libraryName;
    private final String name;
    private final FunctionDescriptor descriptor;
    private volatile MethodHandle handle;

    Function(
        Supplier<SymbolLookup> library,
        String libraryName,
        String name,
        FunctionDescriptor descriptor) {
      this.library = library;
      this.libraryName = libraryName;
      this.name = name;
      this.descriptor = descriptor;
    }

    /** The handle; its first parameter is {@link #callState()}. */
    @SuppressWarnings("restricted") // binding native code is this class's purpose
    MethodHandle handle() {
      MethodHandle h = handle;
      if (h == null) {
        MemorySegment symbol =
            library
                .get()
                .find(name)
                .orElseThrow(
                    () ->
                        new BpfException(
                            libraryName
                                + " has no function "
                                + name
                                + ": install a newer "
                                + libraryName));
        h = LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
        handle = h;
      }
      return h;
    }
  }
}
