package io.lanthorn.enricher.docker;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs calls to the Docker daemon on a few threads of its own, each bounded in time.
 *
 * <p>Why not the HTTP client's timeouts: docker-java reads the unix socket through a {@code
 * SocketChannel} stream, which ignores socket read timeouts, so a daemon that accepts a request and
 * never answers (stopped with SIGSTOP, deadlocked) would block the caller forever. A call that
 * overruns is interrupted instead, which closes its channel and frees the thread; the caller gets a
 * {@link TimeoutException} after the bound, measured from submission (queueing included).
 */
final class DockerCalls implements AutoCloseable {
  private static final int QUEUE_CAPACITY = 1024;

  private final ThreadPoolExecutor workers;
  private final ScheduledThreadPoolExecutor timer;

  /**
   * @param threads the most calls in flight at once
   * @param namePrefix the threads' name prefix
   */
  DockerCalls(int threads, String namePrefix) {
    workers =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE_CAPACITY),
            daemonThreads(namePrefix + "-call-"));
    workers.allowCoreThreadTimeOut(true);
    timer = new ScheduledThreadPoolExecutor(1, daemonThreads(namePrefix + "-timer-"));
    timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * Starts a call; the future fails with {@link TimeoutException} once {@code timeout} has passed,
   * and the call is interrupted. Never blocks.
   *
   * @param what names the call in the timeout message, e.g. {@code "inspect abc123"}
   */
  <T> CompletableFuture<T> submit(String what, Duration timeout, Callable<T> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Future<?> running;
    try {
      running =
          workers.submit(
              () -> {
                try {
                  result.complete(call.call());
                } catch (Throwable t) {
                  result.completeExceptionally(t);
                }
              });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(e);
      return result;
    }
    var deadline =
        timer.schedule(
            () -> {
              if (result.completeExceptionally(
                  new TimeoutException(what + " took longer than " + timeout.toMillis() + " ms"))) {
                running.cancel(true);
              }
            },
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    var _ = result.whenComplete((value, error) -> deadline.cancel(false));
    return result;
  }

  /**
   * Makes a call and waits for its result, at most {@code timeout}.
   *
   * @throws TimeoutException when the daemon took too long
   * @throws Exception what the call threw (docker-java's exceptions, I/O errors)
   */
  <T> T call(String what, Duration timeout, Callable<T> call) throws Exception {
    try {
      return submit(what, timeout, call).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
    timer.shutdownNow();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      // Whoever submits first creates the thread; it must see the plugin's classes, not theirs.
      thread.setContextClassLoader(DockerCalls.class.getClassLoader());
      return thread;
    };
  }
}
