package io.lanthorn.launcher.pipeline;

import java.time.Duration;

/**
 * How often a sink's failed batch is tried again, with exponential back-off between attempts.
 *
 * @param maxAttempts attempts per batch, at least 1 (1 means no retry)
 * @param initialBackoff the wait before the second attempt
 * @param maxBackoff the longest wait between attempts
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  /** The wait after failed attempt number {@code attempt} (1-based): doubling, capped. */
  public Duration backoffAfter(int attempt) {
    Duration wait = initialBackoff.multipliedBy(1L << Math.min(attempt - 1, 20));
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
