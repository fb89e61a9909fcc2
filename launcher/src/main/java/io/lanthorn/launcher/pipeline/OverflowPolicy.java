package io.lanthorn.launcher.pipeline;

/** What the pipeline does with an event when the queue it goes into is full. */
public enum OverflowPolicy {
  /**
   * Wait for room: backpressure up to the sources (a kernel probe then counts loss in its own
   * buffer and reports it). No event the pipeline accepted is dropped.
   */
  BLOCK,
  /** Do not wait: drop the event and count it with its reason. */
  DROP
}
