package io.lanthorn.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/lanthorn} of an {@link Installation}, run as a separate process exactly as a user runs
 * it: arguments, environment, optionally as another user, standard output and error captured in
 * files. Closing it kills a process still running, so no test leaves an agent behind.
 */
final class Agent implements AutoCloseable {
  /** Long enough for a JVM start, a BPF load and a Docker handshake on a busy 2-core machine. */
  static final Duration PATIENCE = Duration.ofSeconds(90);

  /** The exit status after SIGTERM and a complete drain (the JVM's 128 + 15). */
  static final int EXIT_SIGTERM = 143;

  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private Agent(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * What every test agent runs with unless a test overrides it: threat feeds are never fetched from
   * the network (the shipped defaults name public abuse.ch URLs, and tests send nothing beyond
   * loopback); a test that wants feeds gives its own {@code file:} or 127.0.0.1 ones. And each
   * agent's dashboard listens on a port of its own, so that agents run side by side (and next to a
   * developer's agent on 9077).
   */
  static final Map<String, String> TEST_ENVIRONMENT =
      Map.of(
          "CONFIG_FORCE_enricher__threat_remote__fetch", "false",
          "CONFIG_FORCE_web_listen", "127.0.0.1:0");

  /** How to start one. */
  static Launcher of(Installation installation) {
    return new Launcher(installation);
  }

  /** Collects what a start needs; {@link #start} runs it. */
  static final class Launcher {
    private final Installation installation;
    private final Map<String, String> env = new LinkedHashMap<>(TEST_ENVIRONMENT);
    private final List<String> asUser = new ArrayList<>();
    private Path logs;

    private Launcher(Installation installation) {
      this.installation = installation;
    }

    /** The directory for {@code stdout.txt} and {@code stderr.txt} (required). */
    Launcher logsIn(Path dir) {
      this.logs = dir;
      return this;
    }

    /** An environment variable, e.g. a {@code CONFIG_FORCE_} override. */
    Launcher env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /** Runs the agent as this user and group id, without supplementary groups, with setpriv. */
    Launcher asUser(int uid, int gid) {
      asUser.clear();
      asUser.addAll(
          List.of(
              "setpriv",
              "--reuid=" + uid,
              "--regid=" + gid,
              "--clear-groups",
              "--inh-caps=-all",
              "--"));
      return this;
    }

    /** Starts {@code bin/lanthorn args…}. */
    Agent start(String... args) throws IOException {
      if (logs == null) {
        throw new IllegalStateException("logsIn(dir) first");
      }
      Files.createDirectories(logs);
      // The threat plugin's saved feeds stay with the test, never in the machine's /var/lib (a
      // test that sets its own cache-dir sets this variable, which beats configuration files).
      env.putIfAbsent("CONFIG_FORCE_enricher__threat_cache__dir", logs.resolve("feeds").toString());
      Path out = logs.resolve("stdout.txt");
      Path err = logs.resolve("stderr.txt");
      List<String> command = new ArrayList<>(asUser);
      command.add(installation.launcher().toString());
      command.addAll(List.of(args));
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      builder.environment().putAll(env);
      return new Agent(builder.start(), out, err);
    }

    /** Starts {@code bin/lanthorn args…} and waits for it to exit on its own. */
    Agent run(String... args) throws IOException {
      Agent agent = start(args);
      try {
        agent.awaitExit();
      } catch (RuntimeException | AssertionError e) {
        agent.close(); // never leave an agent running behind a failed test
        throw e;
      }
      return agent;
    }
  }

  /**
   * Waits until standard error holds {@code text}; fails at once, showing standard error, if the
   * agent exits first.
   */
  Agent awaitLog(String text) {
    await("lanthorn to log '" + text + "'")
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> stderr().contains(text) || !process.isAlive());
    assertThat(stderr()).as("lanthorn exited before it logged '%s'", text).contains(text);
    return this;
  }

  /**
   * Waits for the agent to log that its pipeline runs: every plugin started, the probe attached.
   */
  Agent awaitRunning() {
    return awaitLog("pipeline running: ");
  }

  /** Asks the agent to stop, as a service manager does (SIGTERM). */
  void terminate() {
    process.destroy();
  }

  /** The agent's process id: bin/lanthorn execs the JVM, so this is the JVM's. */
  long pid() {
    return process.pid();
  }

  /** Kills the agent outright (SIGKILL): no drain, no final line. */
  void kill() {
    process.destroyForcibly();
  }

  /** Waits for the agent to exit and returns its status. */
  int awaitExit() {
    return awaitExit(PATIENCE);
  }

  /** Waits up to {@code patience} for the agent to exit and returns its status. */
  int awaitExit(Duration patience) {
    try {
      assertThat(process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS))
          .as("lanthorn exits within %s; stderr so far:%n%s", patience, stderr())
          .isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return process.exitValue();
  }

  /** SIGTERM, then the exit status once the drain is done. */
  int stop() {
    terminate();
    return awaitExit();
  }

  String stdout() {
    return read(stdout);
  }

  String stderr() {
    return read(stderr);
  }

  List<String> stderrLines() {
    return stderr().lines().toList();
  }

  /** The counters of the {@code final: …} status line the agent logs once it drained. */
  FinalStatus finalStatus() {
    return FinalStatus.parse(stderr());
  }

  /** Kills the agent if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The launcher's {@code final:} line: {@code received=… enriched=… queued=… lost_at_source=N
   * (reason=n …) dropped=N (…) | <sink> written=… failed=… queued=… | …}.
   *
   * @param line the whole line, for messages
   */
  record FinalStatus(
      String line,
      long received,
      long enriched,
      long lostAtSource,
      long dropped,
      Map<String, Long> written,
      Map<String, Long> failed,
      Map<String, Long> skipped) {

    private static final Pattern LINE = Pattern.compile("final: (.*)");
    private static final Pattern SINK =
        Pattern.compile(
            "\\| (\\S+) written=(\\d+) failed=(\\d+) queued=\\d+(?: unsupported_kind=(\\d+))?");

    static FinalStatus parse(String stderr) {
      Matcher matcher = LINE.matcher(stderr);
      assertThat(matcher.find()).as("a final status line in:%n%s", stderr).isTrue();
      String line = matcher.group(1);
      Map<String, Long> written = new LinkedHashMap<>();
      Map<String, Long> failed = new LinkedHashMap<>();
      Map<String, Long> skipped = new LinkedHashMap<>();
      Matcher sink = SINK.matcher(line);
      while (sink.find()) {
        written.put(sink.group(1), Long.parseLong(sink.group(2)));
        failed.put(sink.group(1), Long.parseLong(sink.group(3)));
        skipped.put(sink.group(1), sink.group(4) == null ? 0 : Long.parseLong(sink.group(4)));
      }
      return new FinalStatus(
          line,
          number(line, "received"),
          number(line, "enriched"),
          number(line, "lost_at_source"),
          number(line, "dropped"),
          written,
          failed,
          skipped);
    }

    private static long number(String line, String name) {
      Matcher matcher = Pattern.compile("(?:^| )" + name + "=(\\d+)").matcher(line);
      assertThat(matcher.find()).as("%s in %s", name, line).isTrue();
      return Long.parseLong(matcher.group(1));
    }
  }
}
