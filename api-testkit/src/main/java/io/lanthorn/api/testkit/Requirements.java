package io.lanthorn.api.testkit;

import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.AssertionFailedError;

/**
 * What a test needs from the machine (root, eBPF, Docker, a mount): a test that cannot have it is
 * skipped on a developer's machine, saying what it needs, but fails where everything must run.
 *
 * <p>Everything must run when the environment variable {@code CI} is {@code true} (CI sets it) or
 * the system property {@code lanthorn.requireAll} is {@code true} ({@code scripts/test.sh} sets
 * it), so a suite cannot pass in CI by skipping what it was meant to prove.
 */
public final class Requirements {
  private Requirements() {}

  /** Whether a missing requirement fails the test instead of skipping it. */
  public static boolean allRequired() {
    return "true".equalsIgnoreCase(System.getenv("CI"))
        || Boolean.getBoolean("lanthorn.requireAll");
  }

  /**
   * Continues when {@code met}; otherwise fails the test when {@linkplain #allRequired() everything
   * is required}, or skips it and prints what it needs.
   *
   * @param need what the test needs and how to provide it, e.g. {@code "root (run the tests as
   *     root)"}
   */
  public static void require(boolean met, String need) {
    require(met, () -> need);
  }

  /** As {@link #require(boolean, String)}, with the message built only when needed. */
  public static void require(boolean met, Supplier<String> need) {
    if (met) {
      return;
    }
    String message = need.get();
    if (allRequired()) {
      throw new AssertionFailedError(
          "required here (CI=true or -Dlanthorn.requireAll=true), but missing: " + message);
    }
    System.err.println("skipped, needs: " + message);
    Assumptions.abort(message);
  }
}
