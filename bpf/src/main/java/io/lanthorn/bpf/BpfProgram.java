package io.lanthorn.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A program of a {@link BpfObject}; valid while the object is open. */
public final class BpfProgram {
  // struct bpf_prog_info (uapi, append-only): id at 4, recursion_misses at 208, 232 bytes in 6.x.
  private static final int INFO_SIZE = 232;
  private static final long INFO_ID = 4;
  private static final long INFO_RECURSION_MISSES = 208;

  private final BpfObject object;
  private final MemorySegment handle;
  private final String name;

  BpfProgram(BpfObject object, MemorySegment handle, String name) {
    this.object = object;
    this.handle = handle;
    this.name = name;
  }

  /** The program's C function name. */
  public String name() {
    return name;
  }

  /** Whether {@link BpfObject#load()} loads this program; all are loaded by default. */
  public void setAutoload(boolean autoload) {
    object.requireNotLoaded("set autoload of " + name);
    int rc = LibBpf.programSetAutoload(handle, autoload);
    if (rc < 0) {
      throw BpfException.ofErrno("cannot set autoload of program " + name, -rc);
    }
  }

  /** Attaches the program where its ELF section says ({@code tp_btf/…}, {@code tracepoint/…}). */
  public BpfLink attach() {
    object.requireLoaded("attach " + name);
    MemorySegment link = LibBpf.programAttach(handle);
    if (link.equals(MemorySegment.NULL)) {
      throw BpfException.ofErrno("cannot attach program " + name, Native.errno());
    }
    return object.track(new BpfLink(link, name));
  }

  /** Attaches the program to the classic tracepoint {@code category/event}; needs tracefs. */
  public BpfLink attachTracepoint(String category, String event) {
    object.requireLoaded("attach " + name);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment link =
          LibBpf.programAttachTracepoint(
              handle, arena.allocateFrom(category), arena.allocateFrom(event));
      if (link.equals(MemorySegment.NULL)) {
        throw BpfException.ofErrno(
            "cannot attach program " + name + " to tracepoint " + category + "/" + event,
            Native.errno());
      }
      return object.track(new BpfLink(link, name));
    }
  }

  /**
   * Attaches the program to a cgroup with a BPF link, for the attach type its ELF section names
   * ({@code cgroup_skb/ingress}, {@code cgroup/connect4} …). A link attachment coexists with others
   * on the same cgroup (as {@code BPF_F_ALLOW_MULTI}) and ends when the link's last file descriptor
   * closes: at {@link BpfLink#close()}, or when the process dies, however it dies.
   */
  public BpfLink attachCgroup(Cgroup2.Directory cgroup) {
    object.requireLoaded("attach " + name);
    MemorySegment link = LibBpf.programAttachCgroup(handle, cgroup.fd());
    if (link.equals(MemorySegment.NULL)) {
      throw BpfException.ofErrno(
          "cannot attach program " + name + " to cgroup " + cgroup.path(), Native.errno());
    }
    return object.track(new BpfLink(link, name));
  }

  /** The kernel's id for the loaded program (as {@code bpftool prog show} lists it). */
  public int id() {
    return info().get(JAVA_INT, INFO_ID);
  }

  /**
   * How often the kernel skipped this program because it was already running on the same CPU (an
   * interrupt arriving while it ran, for instance). Each skip is an event the program never saw.
   */
  public long recursionMisses() {
    return info().get(JAVA_LONG, INFO_RECURSION_MISSES);
  }

  /**
   * Runs the program once, now, in the calling thread ({@code BPF_PROG_TEST_RUN}), for program
   * types the kernel can run on demand, such as {@code syscall}.
   *
   * @param context the program's context argument, copied in
   * @return the program's return value
   */
  public int run(MemorySegment context) {
    object.requireLoaded("run " + name);
    try (Arena arena = Arena.ofConfined()) {
      // struct bpf_test_run_opts (libbpf 1.1): sz, data_in/out, sizes, ctx_in at 32,
      // ctx_size_in at 48, retval at 56; 80 bytes.
      MemorySegment opts = arena.allocate(80, 8);
      opts.set(JAVA_LONG, 0, opts.byteSize());
      opts.set(ADDRESS, 32, context);
      opts.set(JAVA_INT, 48, (int) context.byteSize());
      int rc = LibBpf.progTestRunOpts(LibBpf.programFd(handle), opts);
      if (rc < 0) {
        throw BpfException.ofErrno("cannot run program " + name, -rc);
      }
      return opts.get(JAVA_INT, 56);
    }
  }

  private MemorySegment info() {
    object.requireLoaded("query " + name);
    int fd = LibBpf.programFd(handle);
    if (fd < 0) {
      throw BpfException.ofErrno("program " + name + " has no file descriptor", -fd);
    }
    return KernelObjects.info(fd, INFO_SIZE, "program " + name);
  }
}
