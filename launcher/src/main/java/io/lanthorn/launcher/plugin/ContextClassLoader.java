package io.lanthorn.launcher.plugin;

import java.util.concurrent.Callable;

/**
 * Runs plugin code with the plugin's class loader as the thread's context class loader, which
 * libraries inside plugins (JDBC drivers, Jackson modules, typesafe's {@code ConfigFactory.load})
 * use to find their own resources.
 */
public final class ContextClassLoader {
  private ContextClassLoader() {}

  /** A piece of plugin code that may throw. */
  @FunctionalInterface
  public interface PluginCall {
    /** Runs the code. */
    void run() throws Exception;
  }

  /** Calls {@code call} with {@code loader} as context class loader, restoring the old one. */
  public static <T> T call(ClassLoader loader, Callable<T> call) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return call.call();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** Runs {@code call} with {@code loader} as context class loader, restoring the old one. */
  public static void run(ClassLoader loader, PluginCall call) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      call.run();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
