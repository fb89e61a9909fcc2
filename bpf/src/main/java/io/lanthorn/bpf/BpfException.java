package io.lanthorn.bpf;

import java.io.Serial;

/**
 * A libbpf or kernel call failed. The message is one line naming the operation, the object and,
 * where one is known, what to do about it; {@link #errno()} is the error number when there is one.
 */
public final class BpfException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private static final int EPERM = 1;
  private static final int EACCES = 13;

  private final int errno;

  /** A failure that is not an error number, e.g. a missing library or a missing program. */
  public BpfException(String message) {
    this(message, 0, null);
  }

  /** A failure with an underlying cause. */
  public BpfException(String message, Throwable cause) {
    this(message, 0, cause);
  }

  private BpfException(String message, int errno, Throwable cause) {
    super(message, cause);
    this.errno = errno;
  }

  /**
   * A failed call, described as {@code "<what>: <strerror> (errno N)"}; permission errors also say
   * which privilege loading eBPF needs.
   */
  static BpfException ofErrno(String what, int errno) {
    String message = what + ": " + LibBpf.strerror(errno) + " (errno " + errno + ")";
    if (errno == EPERM || errno == EACCES) {
      message += "; eBPF needs root or the capabilities CAP_BPF and CAP_PERFMON";
    }
    return new BpfException(message, errno, null);
  }

  /** The positive error number, or 0 when the failure was not a failed system call. */
  public int errno() {
    return errno;
  }
}
