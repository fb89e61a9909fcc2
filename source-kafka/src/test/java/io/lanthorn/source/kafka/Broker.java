package io.lanthorn.source.kafka;

import io.lanthorn.api.testkit.Requirements;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft broker for a test, run by {@code scripts/kafka.sh} on 127.0.0.1 with
 * free ports and its own state directory.
 */
final class Broker implements AutoCloseable {
  private static final Path SCRIPT =
      Path.of("").toAbsolutePath().getParent().resolve("scripts/kafka.sh");

  private final Path dir;
  private final int port;
  private final int controllerPort;

  private Broker(Path dir, int port, int controllerPort) {
    this.dir = dir;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Starts a broker in {@code dir}, or skips (fails in CI) when it cannot. */
  static Broker start(Path dir) throws Exception {
    int[] ports = freePorts();
    Broker broker = new Broker(dir, ports[0], ports[1]);
    Runtime.getRuntime().addShutdownHook(new Thread(broker::stopQuietly));
    boolean started = broker.run("start");
    Requirements.require(
        started,
        () ->
            "a Kafka broker from scripts/kafka.sh (the first run copies the jars from Maven"
                + " Central): see "
                + dir.resolve("kafka.sh.out"));
    return broker;
  }

  String bootstrap() {
    return "127.0.0.1:" + port;
  }

  /** SIGKILL: the broker dies mid-flight, as in a crash. */
  void kill() throws Exception {
    run("kill");
  }

  /** Starts it again on the same port and data. */
  void restart() throws Exception {
    if (!run("start")) {
      throw new IllegalStateException("broker did not restart: see " + dir);
    }
  }

  private boolean run(String command) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(List.of(SCRIPT.toString(), command))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("kafka.sh.out").toFile()));
    builder.environment().put("LANTHORN_KAFKA_PORT", Integer.toString(port));
    builder.environment().put("LANTHORN_KAFKA_CONTROLLER_PORT", Integer.toString(controllerPort));
    builder.environment().put("LANTHORN_KAFKA_DIR", dir.resolve("broker").toString());
    builder.environment().put("LANTHORN_KAFKA_HEAP", "384m");
    Files.createDirectories(dir);
    Process process = builder.start();
    if (!process.waitFor(240, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return false;
    }
    return process.exitValue() == 0;
  }

  private void stopQuietly() {
    try {
      run("stop");
    } catch (IOException | InterruptedException e) {
      // best effort at JVM exit
    }
  }

  @Override
  public void close() throws Exception {
    run("stop");
  }

  private static int[] freePorts() throws IOException {
    try (ServerSocket a = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        ServerSocket b = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return new int[] {a.getLocalPort(), b.getLocalPort()};
    }
  }
}
