package io.lanthorn.sink.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.PluginFactory;
import io.lanthorn.api.PluginFlag;
import io.lanthorn.api.Sink;
import io.lanthorn.api.testkit.TestPluginContext;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked example of README.md's "Writing your own sink", taken from the README as it is:
 * compiled against this build's API, created as the agent would create it, and run.
 */
class ReadmeExampleTest {
  private static final Pattern BLOCK =
      Pattern.compile("```(java|hocon)\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path dir;

  @Test
  void theWorkedExampleCompilesAndWrites() throws Exception {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    List<String> java = new ArrayList<>();
    String hocon = null;
    Matcher block = BLOCK.matcher(readme.substring(readme.indexOf("### The smallest sink")));
    while (block.find()) {
      if (block.group(1).equals("java")) {
        java.add(block.group(2));
      } else if (hocon == null) {
        hocon = block.group(2);
      }
    }
    assertThat(java).hasSize(2);
    assertThat(hocon).contains("sink-example");

    Path classes = Files.createDirectories(dir.resolve("classes"));
    compile(java, classes);
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      PluginFactory factory =
          (PluginFactory)
              loader
                  .loadClass("com.example.lanthorn.ExampleSinkFactory")
                  .getConstructor()
                  .newInstance();
      assertThat(factory.name()).isEqualTo("sink-example");
      assertThat(factory.flags()).extracting(PluginFlag::name).containsExactly("--example-path");

      Path out = dir.resolve("example.txt");
      TestPluginContext context =
          TestPluginContext.forPlugin("sink-example", hocon).with("path = \"" + out + "\"");
      try (Sink sink = (Sink) factory.create(context)) {
        sink.write(List.of(event(443, Outcome.ESTABLISHED), event(80, Outcome.REFUSED)));
      }
      assertThat(Files.readAllLines(out))
          .containsExactly(
              "2025-11-25T14:03:07Z curl 127.0.0.1 443 established",
              "2025-11-25T14:03:07Z curl 127.0.0.1 80 refused");
    }
  }

  private static ConnectionEvent event(int port, Outcome outcome) {
    return ConnectionEvent.builder()
        .family(AddressFamily.INET)
        .sourceAddress(InetAddress.getLoopbackAddress())
        .destinationAddress(InetAddress.getLoopbackAddress())
        .destinationPort(port)
        .timestampNanos(1_764_079_387_000_000_000L)
        .comm("curl")
        .outcome(outcome)
        .build();
  }

  private static void compile(List<String> sources, Path classes) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    List<JavaFileObject> units = new ArrayList<>();
    for (String code : sources) {
      Matcher type = Pattern.compile("(?:class|interface|record) (\\w+)").matcher(code);
      assertThat(type.find()).isTrue();
      units.add(
          new SimpleJavaFileObject(
              URI.create("string:///com/example/lanthorn/" + type.group(1) + ".java"),
              JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
              return code;
            }
          });
    }
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
                    System.getProperty("java.class.path"),
                    "-proc:none",
                    "-Xlint:all",
                    "-Werror"),
                null,
                units)
            .call();
    assertThat(ok).as("the README's example compiles: %s", diagnostics.getDiagnostics()).isTrue();
  }
}
