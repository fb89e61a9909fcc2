package io.lanthorn.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An attachment of a program to its hook. Closing it detaches the program. */
public final class BpfLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BpfLink.class);
  // struct bpf_link_info: type, id, prog_id, …
  private static final int INFO_SIZE = 16;
  private static final long INFO_ID = 4;

  private final MemorySegment handle;
  private final String program;
  private boolean closed;

  BpfLink(MemorySegment handle, String program) {
    this.handle = handle;
    this.program = program;
  }

  /**
   * The kernel's id for the link, or 0 when the kernel attached the program without a BPF link
   * object (older kernels, through a perf event).
   */
  public int id() {
    int fd = LibBpf.linkFd(handle);
    if (fd < 0) {
      return 0;
    }
    try {
      return KernelObjects.info(fd, INFO_SIZE, "link of " + program).get(JAVA_INT, INFO_ID);
    } catch (BpfException e) {
      return 0;
    }
  }

  /** Detaches the program. Idempotent; a failure is logged, since nothing can be done about it. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    int rc = LibBpf.linkDestroy(handle);
    if (rc < 0) {
      LOG.warn("detaching program {} failed: {}", program, LibBpf.strerror(-rc));
    }
  }
}
