package io.lanthorn.launcher;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM and SIGINT, through a JVM shutdown hook. The hook asks the agent to stop and then holds
 * the JVM open until the agent drained and closed everything (at most the drain timeout plus a
 * margin), since the JVM exits as soon as its hooks return.
 */
final class ShutdownHookSignal implements StopSignal {
  private static final Duration MARGIN = Duration.ofSeconds(5);

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public void arm(Duration drainTimeout) {
    long waitMillis = drainTimeout.plus(MARGIN).toMillis();
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("lanthorn-shutdown")
                .unstarted(
                    () -> {
                      requested.countDown();
                      try {
                        stopped.await(waitMillis, TimeUnit.MILLISECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
  }

  @Override
  public void awaitStopRequest() throws InterruptedException {
    requested.await();
  }

  @Override
  public void stopped() {
    stopped.countDown();
  }
}
