package io.lanthorn.launcher;

import io.lanthorn.api.Enricher;
import io.lanthorn.api.EventSource;
import io.lanthorn.api.PluginCommand;
import io.lanthorn.api.Sink;
import java.nio.file.Path;

/**
 * Small plugins built at test time into {@code <plugins>/<name>/<name>.jar}, each in its own
 * package, as separately built third-party jars would be.
 */
public final class TestPlugins {
  private TestPlugins() {}

  /** The attribute test enrichers append their names to, comma-separated. */
  public static final String TRAIL = "test.trail";

  private static String pkg(String name) {
    return "test." + name.replace('-', '_');
  }

  private static String template(String name, String code) {
    return code.replace("PKG", pkg(name)).replace("NAME", name);
  }

  /**
   * A source: at start it emits {@code count} events (ports 1…, outcome established) from its own
   * thread; at stop {@code pending} more (ports 10001…, outcome pending) and reports {@code lost}
   * lost with reason {@code test_lost}. A non-empty {@code fail} makes start throw it. A non-empty
   * {@code lifecycle} names a file it appends {@code started}, {@code stopped} and {@code closed}
   * to.
   */
  public static Path source(Path plugins, String name) {
    return new TestPluginBuilder()
        .source(
            pkg(name) + ".TestSource",
            template(
                name,
                """
                package PKG;

                import io.lanthorn.api.*;
                import java.net.InetAddress;
                import java.nio.charset.StandardCharsets;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                import java.util.ArrayList;
                import java.util.List;

                public final class TestSource implements EventSource {
                  private PluginContext context;
                  private EventEmitter emitter;
                  private Thread thread;

                  public String name() { return "NAME"; }

                  public void start(PluginContext context, EventEmitter emitter) throws Exception {
                    this.context = context;
                    this.emitter = emitter;
                    String fail = context.config().getString("fail");
                    if (!fail.isEmpty()) {
                      throw new PluginException(fail);
                    }
                    lifecycle("started");
                    int count = context.config().getInt("count");
                    thread = new Thread(() -> {
                      List<ConnectionEvent> batch = new ArrayList<>();
                      for (int i = 1; i <= count; i++) {
                        batch.add(event(i % 65_536, Outcome.ESTABLISHED));
                        if (batch.size() == 100) {
                          emitter.emitAll(batch);
                          batch.clear();
                        }
                      }
                      emitter.emitAll(batch);
                    }, "test-source-NAME");
                    thread.start();
                  }

                  public void stop() throws Exception {
                    thread.join();
                    int pending = context.config().getInt("pending");
                    for (int i = 1; i <= pending; i++) {
                      emitter.emit(event(10_000 + i, Outcome.PENDING));
                    }
                    emitter.reportLost("test_lost", context.config().getInt("lost"));
                    lifecycle("stopped");
                  }

                  public void close() throws Exception {
                    if (context != null) {
                      lifecycle("closed");
                    }
                  }

                  private void lifecycle(String what) throws Exception {
                    String file = context.config().getString("lifecycle");
                    if (!file.isEmpty()) {
                      Files.writeString(Path.of(file), what + "\\n", StandardCharsets.UTF_8,
                          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                  }

                  static ConnectionEvent event(int port, Outcome outcome) {
                    InetAddress loopback = InetAddress.getLoopbackAddress();
                    return ConnectionEvent.builder()
                        .family(AddressFamily.INET)
                        .sourceAddress(loopback)
                        .sourcePort(40_000)
                        .destinationAddress(loopback)
                        .destinationPort(port)
                        .timestampNanos(System.currentTimeMillis() * 1_000_000L)
                        .pid(1)
                        .tid(1)
                        .comm("test")
                        .outcome(outcome)
                        .build();
                  }
                }
                """))
        .service(EventSource.class, pkg(name) + ".TestSource")
        .resource(
            "reference.conf",
            name
                + " {\n  count = 10\n  pending = 0\n  lost = 0\n  fail = \"\"\n  lifecycle = \"\"\n}\n")
        .writeJar(plugins.resolve(name).resolve(name + ".jar"));
  }

  /**
   * A sink appending {@code <port> <outcome> <trail>} per event to the file in its {@code file}
   * key, and {@code closed} when closed. Its start first waits until the pipeline has received
   * {@code start-wait-received} events (failing after 30 s), then throws a non-empty {@code fail}.
   */
  public static Path recordingSink(Path plugins, String name) {
    return recordingSink(plugins, name, "file = \"/dev/null\"");
  }

  /** {@link #recordingSink(Path, String)} with this reference.conf section body. */
  public static Path recordingSink(Path plugins, String name, String referenceBody) {
    return new TestPluginBuilder()
        .source(
            pkg(name) + ".RecordingSink",
            template(
                name,
                """
                package PKG;

                import io.lanthorn.api.*;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                import java.util.List;

                public final class RecordingSink implements Sink {
                  private static final AttributeKey<String> TRAIL = AttributeKey.stringKey("test.trail");
                  private Path file;

                  public String name() { return "NAME"; }

                  public void start(PluginContext context) throws Exception {
                    file = Path.of(context.config().getString("file"));
                    append("");
                    long wait = context.config().getLong("start-wait-received");
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while (context.pipelineStats().received() < wait) {
                      if (System.nanoTime() > deadline) {
                        throw new PluginException("no " + wait + " events received within 30 s");
                      }
                      Thread.sleep(5);
                    }
                    String fail = context.config().getString("fail");
                    if (!fail.isEmpty()) {
                      throw new PluginException(fail);
                    }
                  }

                  public void write(List<ConnectionEvent> batch) throws Exception {
                    StringBuilder lines = new StringBuilder();
                    for (ConnectionEvent e : batch) {
                      String trail = e.attribute(TRAIL);
                      lines.append(e.destinationPort()).append(' ').append(e.outcome().label())
                          .append(' ').append(trail == null ? "-" : trail).append('\\n');
                    }
                    append(lines.toString());
                  }

                  public void close() throws Exception {
                    if (file != null) {
                      append("closed\\n");
                    }
                  }

                  private void append(String text) throws Exception {
                    Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                  }
                }
                """))
        .service(Sink.class, pkg(name) + ".RecordingSink")
        .resource(
            "reference.conf",
            name + " {\n  start-wait-received = 0\n  fail = \"\"\n" + referenceBody + "\n}\n")
        .writeJar(plugins.resolve(name).resolve(name + ".jar"));
  }

  /**
   * An enricher appending its name to the {@value #TRAIL} attribute. Its start waits until the
   * pipeline has received {@code start-wait-received} events (failing after 30 s).
   */
  public static Path taggingEnricher(Path plugins, String name) {
    return new TestPluginBuilder()
        .source(
            pkg(name) + ".TaggingEnricher",
            template(
                name,
                """
                package PKG;

                import io.lanthorn.api.*;

                public final class TaggingEnricher implements Enricher {
                  private static final AttributeKey<String> TRAIL = AttributeKey.stringKey("test.trail");

                  public String name() { return "NAME"; }

                  public void start(PluginContext context) throws Exception {
                    long wait = context.config().getLong("start-wait-received");
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while (context.pipelineStats().received() < wait) {
                      if (System.nanoTime() > deadline) {
                        throw new PluginException("no " + wait + " events received within 30 s");
                      }
                      Thread.sleep(5);
                    }
                  }

                  public ConnectionEvent enrich(ConnectionEvent event) {
                    String trail = event.attribute(TRAIL);
                    return event.withAttribute(TRAIL, trail == null ? "NAME" : trail + ",NAME");
                  }

                  public void close() {}
                }
                """))
        .service(Enricher.class, pkg(name) + ".TaggingEnricher")
        .resource("reference.conf", name + " {\n  start-wait-received = 0\n}\n")
        .writeJar(plugins.resolve(name).resolve(name + ".jar"));
  }

  /**
   * A command printing {@code greeting=<its section's greeting>}, {@code args=[…]}, whether the
   * context class loader is its plugin's, and whether it sees the {@code enabled} key; returns 7.
   */
  public static Path command(Path plugins, String plugin, String command) {
    return new TestPluginBuilder()
        .source(
            pkg(plugin) + ".HelloCommand",
            template(
                plugin,
                """
                package PKG;

                import com.typesafe.config.Config;
                import io.lanthorn.api.PluginCommand;
                import java.io.PrintStream;
                import java.util.List;

                public final class HelloCommand implements PluginCommand {
                  public String name() { return "COMMAND"; }
                  public String description() { return "Says hello from NAME."; }
                  public String configSection() { return "NAME"; }

                  public int run(Config config, List<String> args, PrintStream out, PrintStream err) {
                    out.println("greeting=" + config.getString("greeting"));
                    out.println("args=" + args);
                    out.println("tccl-is-plugin="
                        + (Thread.currentThread().getContextClassLoader() == getClass().getClassLoader()));
                    out.println("sees-enabled=" + config.hasPath("enabled"));
                    return 7;
                  }
                }
                """
                    .replace("COMMAND", command)))
        .service(PluginCommand.class, pkg(plugin) + ".HelloCommand")
        .resource("reference.conf", plugin + " {\n  greeting = hello\n}\n")
        .writeJar(plugins.resolve(plugin).resolve(plugin + ".jar"));
  }
}
