package io.lanthorn.launcher;

import java.nio.file.Path;

/**
 * Small plugins built at test time into {@code <plugins>/<name>/<name>.jar}, each in its own
 * package, as separately built third-party jars would be: a {@code Factory} declaring the plugin
 * and the instance it creates.
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
   * A factory declaring {@code kinds} and {@code flags} (Java expressions) and creating with {@code
   * create} (a Java expression of type PluginInstance, {@code context} in scope).
   */
  public static String factory(
      String name, String kinds, String flags, String commands, String create) {
    return template(
        name,
        """
        package PKG;

        import io.lanthorn.api.*;
        import java.util.List;
        import java.util.Set;

        public final class Factory implements PluginFactory {
          public String apiVersion() { return ApiVersion.CURRENT; }
          public String name() { return "NAME"; }
          public String description() { return "test plugin NAME"; }
          public Set<PluginKind> kinds() { return KINDS; }
          public List<PluginFlag> flags() { return FLAGS; }
          public List<PluginCommand> commands() { return COMMANDS; }
          public PluginInstance create(PluginContext context) throws Exception { return CREATE; }
        }
        """
            .replace("KINDS", kinds)
            .replace("FLAGS", flags)
            .replace("COMMANDS", commands)
            .replace("CREATE", create));
  }

  /**
   * A source: once created it emits {@code count} events (ports 1…, outcome established) from its
   * own thread; at stop {@code pending} more (ports 10001…, outcome pending) and reports {@code
   * lost} lost with reason {@code test_lost}. A non-empty {@code fail} makes create throw it. A
   * non-empty {@code lifecycle} names a file it appends {@code started}, {@code stopped} and {@code
   * closed} to. Declares the Rust Lanthorn's {@code --disable-tcp-mon} (sets {@code enabled =
   * false}) and {@code --test-count N} (sets {@code count}).
   */
  public static Path source(Path plugins, String name) {
    return new TestPluginBuilder()
        .source(
            pkg(name) + ".Factory",
            factory(
                name,
                "Set.of(PluginKind.SOURCE)",
                "List.of(PluginFlag.setting(\"--disable-tcp-mon\", \"enabled\", false, \"no"
                    + " capture\"), PluginFlag.withValue(\"--test-count\", \"count\", \"N\","
                    + " \"events to emit\"))",
                "List.of()",
                "TestSource.start(context)"))
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
                  private final PluginContext context;
                  private final EventEmitter emitter;
                  private final Thread thread;

                  private TestSource(PluginContext context) {
                    this.context = context;
                    this.emitter = context.emitter();
                    int count = context.config().getInt("count");
                    this.thread = new Thread(() -> {
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
                  }

                  static TestSource start(PluginContext context) throws Exception {
                    String fail = context.config().getString("fail");
                    if (!fail.isEmpty()) {
                      throw new PluginException(fail);
                    }
                    TestSource source = new TestSource(context);
                    source.lifecycle("started");
                    source.thread.start();
                    return source;
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
                    lifecycle("closed");
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
        .factory(pkg(name) + ".Factory")
        .resource(
            "reference.conf",
            name
                + " {\n  count = 10\n  pending = 0\n  lost = 0\n  fail = \"\"\n  lifecycle = \"\"\n}\n")
        .writeJar(plugins.resolve(name).resolve(name + ".jar"));
  }

  /**
   * A sink appending {@code <port> <outcome> <trail>} per event to the file in its {@code file}
   * key, and {@code closed} when closed. Its create first waits until the pipeline has received
   * {@code start-wait-received} events (failing after 30 s), then throws a non-empty {@code fail}.
   * Takes connection events only. Declares {@code --test-file FILE} (sets {@code file}).
   */
  public static Path recordingSink(Path plugins, String name) {
    return recordingSink(plugins, name, "file = \"/dev/null\"");
  }

  /** {@link #recordingSink(Path, String)} with this reference.conf section body. */
  public static Path recordingSink(Path plugins, String name, String referenceBody) {
    return new TestPluginBuilder()
        .source(
            pkg(name) + ".Factory",
            factory(
                name,
                "Set.of(PluginKind.SINK)",
                "List.of(PluginFlag.withValue(\"--test-file\", \"file\", \"FILE\", \"where to"
                    + " record\"))",
                "List.of()",
                "RecordingSink.start(context)"))
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
                import java.util.Set;

                public final class RecordingSink implements Sink {
                  private static final AttributeKey<String> TRAIL = AttributeKey.stringKey("test.trail");
                  private final Path file;

                  private RecordingSink(Path file) {
                    this.file = file;
                  }

                  static RecordingSink start(PluginContext context) throws Exception {
                    RecordingSink sink = new RecordingSink(Path.of(context.config().getString("file")));
                    sink.append("");
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
                    return sink;
                  }

                  public Set<EventKind> kinds() { return Set.of(EventKind.TCP_CONNECT); }

                  public void write(List<? extends Event> batch) throws Exception {
                    StringBuilder lines = new StringBuilder();
                    for (Event event : batch) {
                      ConnectionEvent e = (ConnectionEvent) event;
                      String trail = e.attribute(TRAIL);
                      lines.append(e.destinationPort()).append(' ').append(e.outcome().label())
                          .append(' ').append(trail == null ? "-" : trail).append('\\n');
                    }
                    append(lines.toString());
                  }

                  public void close() throws Exception {
                    append("closed\\n");
                  }

                  private void append(String text) throws Exception {
                    Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                  }
                }
                """))
        .factory(pkg(name) + ".Factory")
        .resource(
            "reference.conf",
            name + " {\n  start-wait-received = 0\n  fail = \"\"\n" + referenceBody + "\n}\n")
        .writeJar(plugins.resolve(name).resolve(name + ".jar"));
  }

  /**
   * An enricher appending its name to the {@value #TRAIL} attribute of every kind of event. Its
   * create waits until the pipeline has received {@code start-wait-received} events (failing after
   * 30 s).
   */
  public static Path taggingEnricher(Path plugins, String name) {
    return new TestPluginBuilder()
        .source(
            pkg(name) + ".Factory",
            factory(
                name,
                "Set.of(PluginKind.ENRICHER)",
                "List.of()",
                "List.of()",
                "TaggingEnricher.start(context)"))
        .source(
            pkg(name) + ".TaggingEnricher",
            template(
                name,
                """
                package PKG;

                import io.lanthorn.api.*;
                import java.util.EnumSet;
                import java.util.Set;

                public final class TaggingEnricher implements Enricher {
                  private static final AttributeKey<String> TRAIL = AttributeKey.stringKey("test.trail");

                  static TaggingEnricher start(PluginContext context) throws Exception {
                    long wait = context.config().getLong("start-wait-received");
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while (context.pipelineStats().received() < wait) {
                      if (System.nanoTime() > deadline) {
                        throw new PluginException("no " + wait + " events received within 30 s");
                      }
                      Thread.sleep(5);
                    }
                    return new TaggingEnricher();
                  }

                  public Set<EventKind> kinds() { return EnumSet.allOf(EventKind.class); }

                  public Event enrich(Event event) {
                    String trail = event.attribute(TRAIL);
                    return event.withAttribute(TRAIL, trail == null ? "NAME" : trail + ",NAME");
                  }

                  public void close() {}
                }
                """))
        .factory(pkg(name) + ".Factory")
        .resource("reference.conf", name + " {\n  start-wait-received = 0\n}\n")
        .writeJar(plugins.resolve(name).resolve(name + ".jar"));
  }

  /**
   * A plugin with only a command, printing {@code greeting=<its section's greeting>}, {@code
   * args=[…]}, whether the context class loader is its plugin's, and whether it sees the {@code
   * enabled} key; returns 7. Declares {@code --greeting TEXT} (sets {@code greeting}).
   */
  public static Path command(Path plugins, String plugin, String command) {
    return new TestPluginBuilder()
        .source(
            pkg(plugin) + ".Factory",
            factory(
                plugin,
                "Set.of()",
                "List.of(PluginFlag.withValue(\"--greeting\", \"greeting\", \"TEXT\", \"what to"
                    + " say\"))",
                "List.of(new HelloCommand())",
                "null"))
        .source(
            pkg(plugin) + ".HelloCommand",
            template(
                plugin,
                """
                package PKG;

                import io.lanthorn.api.PluginCommand;
                import io.lanthorn.api.PluginContext;
                import java.io.PrintStream;
                import java.util.List;

                public final class HelloCommand implements PluginCommand {
                  public String name() { return "COMMAND"; }
                  public String description() { return "Says hello from NAME."; }

                  public int run(PluginContext context, List<String> args, PrintStream out, PrintStream err) {
                    out.println("greeting=" + context.config().getString("greeting"));
                    out.println("args=" + args);
                    out.println("tccl-is-plugin="
                        + (Thread.currentThread().getContextClassLoader() == getClass().getClassLoader()));
                    out.println("sees-enabled=" + context.config().hasPath("enabled"));
                    out.println("host=" + context.hostName());
                    return 7;
                  }
                }
                """
                    .replace("COMMAND", command)))
        .factory(pkg(plugin) + ".Factory")
        .resource("reference.conf", plugin + " {\n  greeting = hello\n}\n")
        .writeJar(plugins.resolve(plugin).resolve(plugin + ".jar"));
  }
}
