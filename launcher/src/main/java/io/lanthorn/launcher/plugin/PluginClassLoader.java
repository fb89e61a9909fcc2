package io.lanthorn.launcher.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one plugin: its own jars, the JDK (through the platform loader), and — from
 * the launcher — only the packages plugins compile against.
 *
 * <p>Everything else a plugin sees comes from its own jars, so two plugins can carry different
 * versions of the same library, and the launcher's own dependencies (logback, picocli) never leak
 * into a plugin. Resources follow the same rule, so {@code ServiceLoader} and a plugin's {@code
 * reference.conf} see the plugin's files only.
 */
public final class PluginClassLoader extends URLClassLoader {
  /**
   * The packages shared with the launcher: the API and the logging API it exposes. Not typesafe's
   * config: plugins read theirs through the API, and may bundle any version of that library.
   */
  private static final List<String> SHARED_PACKAGES = List.of("io.lanthorn.api.", "org.slf4j.");

  private static final List<String> SHARED_RESOURCES =
      SHARED_PACKAGES.stream().map(p -> p.replace('.', '/')).toList();

  static {
    registerAsParallelCapable();
  }

  private final ClassLoader launcherLoader;

  /**
   * @param pluginName used in the loader's name, which shows up in stack traces
   * @param jars the plugin's jars
   * @param launcherLoader where the shared packages come from
   */
  public PluginClassLoader(String pluginName, List<URL> jars, ClassLoader launcherLoader) {
    super("plugin-" + pluginName, jars.toArray(URL[]::new), getPlatformClassLoader());
    this.launcherLoader = launcherLoader;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (isShared(name, SHARED_PACKAGES)) {
      return launcherLoader.loadClass(name);
    }
    // Parent first: the parent is the platform loader, so this only ever finds JDK classes there.
    return super.loadClass(name, resolve);
  }

  @Override
  public URL getResource(String name) {
    return isShared(name, SHARED_RESOURCES)
        ? launcherLoader.getResource(name)
        : super.getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    return isShared(name, SHARED_RESOURCES)
        ? launcherLoader.getResources(name)
        : super.getResources(name);
  }

  private static boolean isShared(String name, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
