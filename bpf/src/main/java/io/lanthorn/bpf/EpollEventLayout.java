package io.lanthorn.bpf;

import java.util.Locale;

/**
 * The C layout of {@code struct epoll_event} ({@code uint32_t events; epoll_data_t data}), which
 * differs by architecture: the kernel declares it packed on x86-64 only ({@code __EPOLL_PACKED}),
 * so there it is 12 bytes with {@code data} at offset 4, and on aarch64 (like every other 64-bit
 * architecture) 16 bytes with {@code data} aligned to offset 8. Reading or allocating it with the
 * wrong size lets {@code epoll_wait} write past the buffer.
 *
 * @param size the struct's size in bytes
 * @param eventsOffset where {@code events} is
 * @param dataOffset where {@code data} is
 */
public record EpollEventLayout(int size, int eventsOffset, int dataOffset) {
  /** x86-64: packed. */
  public static final EpollEventLayout X86_64 = new EpollEventLayout(12, 0, 4);

  /** aarch64 and other 64-bit architectures: naturally aligned. */
  public static final EpollEventLayout ALIGNED_64 = new EpollEventLayout(16, 0, 8);

  /**
   * The layout for a JVM {@code os.arch} value ({@code amd64}, {@code x86_64}, {@code aarch64} …).
   */
  public static EpollEventLayout forArch(String osArch) {
    return switch (osArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> X86_64;
      default -> ALIGNED_64;
    };
  }

  /** The layout on this JVM's architecture. */
  public static EpollEventLayout current() {
    return forArch(System.getProperty("os.arch"));
  }
}
