package io.lanthorn.api;

/** The address family of a connection, as the kernel reports it. */
public enum AddressFamily {
  /** IPv4 ({@code AF_INET}). IPv4-mapped IPv6 connections are reported as this family. */
  INET(2),
  /** IPv6 ({@code AF_INET6}). */
  INET6(10);

  private final int code;

  AddressFamily(int code) {
    this.code = code;
  }

  /** The Linux {@code AF_*} constant. */
  public int code() {
    return code;
  }

  /**
   * The family for a Linux {@code AF_*} constant.
   *
   * @throws IllegalArgumentException for any other value
   */
  public static AddressFamily ofCode(int code) {
    for (AddressFamily family : values()) {
      if (family.code == code) {
        return family;
      }
    }
    throw new IllegalArgumentException("unknown address family " + code);
  }
}
