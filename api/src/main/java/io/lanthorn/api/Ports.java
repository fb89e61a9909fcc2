package io.lanthorn.api;

/** Checks port numbers for the event records. */
final class Ports {
  private Ports() {}

  static void check(int port, String name) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(name + " out of range: " + port);
    }
  }
}
