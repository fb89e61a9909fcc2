package io.lanthorn.launcher;

import io.lanthorn.api.PluginFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.slf4j.Logger;

/**
 * Builds plugin jars at test time: compiles Java sources against the API (and optional extra jars)
 * with the JDK's compiler, and packs the classes with resources into a jar, as a third party would
 * ship it.
 */
public final class TestPluginBuilder {
  private final Map<String, String> sources = new LinkedHashMap<>();
  private final Map<String, String> resources = new LinkedHashMap<>();
  private final List<Path> classpath = new ArrayList<>();

  /** Adds a source file; the class name is read from its package and first type. */
  public TestPluginBuilder source(String className, String code) {
    sources.put(className, code);
    return this;
  }

  /** Adds a resource, e.g. {@code reference.conf}. */
  public TestPluginBuilder resource(String path, String content) {
    resources.merge(path, content, (a, b) -> a + b);
    return this;
  }

  /** Registers the plugin's factory. */
  public TestPluginBuilder factory(String implementation) {
    return service(PluginFactory.class, implementation);
  }

  /** Registers a service implementation. */
  public TestPluginBuilder service(Class<?> type, String implementation) {
    return resource("META-INF/services/" + type.getName(), implementation + "\n");
  }

  /** Compiles against this jar too (it is not packed in). */
  public TestPluginBuilder classpath(Path jar) {
    classpath.add(jar);
    return this;
  }

  /** Compiles and writes the jar. */
  public Path writeJar(Path jar) {
    try {
      Path classes = Files.createTempDirectory("test-plugin-classes");
      compile(classes);
      Files.createDirectories(jar.toAbsolutePath().getParent());
      try (OutputStream file = Files.newOutputStream(jar);
          JarOutputStream out = new JarOutputStream(file);
          Stream<Path> walk = Files.walk(classes)) {
        for (Path path : walk.filter(Files::isRegularFile).sorted().toList()) {
          out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
          out.write(Files.readAllBytes(path));
          out.closeEntry();
        }
        for (var resource : resources.entrySet()) {
          out.putNextEntry(new JarEntry(resource.getKey()));
          out.write(resource.getValue().getBytes(StandardCharsets.UTF_8));
          out.closeEntry();
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void compile(Path classes) {
    if (sources.isEmpty()) {
      return;
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    List<String> path = new ArrayList<>();
    for (Class<?> api : List.of(PluginFactory.class, Logger.class)) {
      path.add(location(api));
    }
    classpath.forEach(p -> path.add(p.toString()));
    List<JavaFileObject> units = new ArrayList<>();
    sources.forEach((name, code) -> units.add(new Source(name, code)));
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    boolean ok =
        compiler
            .getTask(
                null,
                null,
                diagnostics,
                List.of(
                    "-d",
                    classes.toString(),
                    "-classpath",
                    String.join(java.io.File.pathSeparator, path),
                    "-proc:none",
                    "-Xlint:none"),
                null,
                units)
            .call();
    if (!ok) {
      throw new IllegalStateException(
          "test plugin does not compile: " + diagnostics.getDiagnostics());
    }
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class Source extends SimpleJavaFileObject {
    private final String code;

    Source(String className, String code) {
      super(URI.create("string:///" + className.replace('.', '/') + ".java"), Kind.SOURCE);
      this.code = code;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }
}
