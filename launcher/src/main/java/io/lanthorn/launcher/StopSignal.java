package io.lanthorn.launcher;

import java.time.Duration;

/** How a running agent learns that it should stop, and reports that it has. */
public interface StopSignal {

  /**
   * Prepares to receive the request; called before the agent starts.
   *
   * @param drainTimeout how long stopping may take once requested
   */
  void arm(Duration drainTimeout);

  /** Returns once the agent should stop. */
  void awaitStopRequest() throws InterruptedException;

  /** Called once the agent has stopped (or failed to start). */
  void stopped();
}
