package io.lanthorn.sink.jsonl;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Counter;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.Sink;
import java.io.IOException;
import java.util.List;

/**
 * Writes every event as one JSON object per line, to a file or standard output ({@code
 * sink-jsonl}). A batch is acknowledged only after it was written whole (and, for a file with
 * {@code fsync = true}, forced to disk); a failed batch leaves nothing behind, so the agent's retry
 * cannot duplicate lines.
 *
 * <p>Metrics: {@code sink-jsonl.bytes} written, {@code sink-jsonl.rotations} of the file.
 */
public final class JsonlSink implements Sink {
  private final EventJson json = new EventJson();
  private LineOutput output;
  private Counter bytes;

  /** Does no work: the agent instantiates sinks to list them. */
  public JsonlSink() {}

  @Override
  public String name() {
    return "sink-jsonl";
  }

  @Override
  public void start(PluginContext context) throws Exception {
    JsonlSettings settings = JsonlSettings.from(context.config());
    bytes = context.metrics().counter("bytes", "bytes of JSON lines written");
    Counter rotations = context.metrics().counter("rotations", "times the file was rotated");
    if (settings.path() == null) {
      output = new StdoutOutput();
    } else {
      try {
        output = new RotatingFileOutput(settings, context.logger(), rotations);
      } catch (IOException e) {
        throw new PluginException(
            "sink-jsonl: cannot open "
                + settings.path()
                + " for writing ("
                + e
                + "): choose a writable sink-jsonl.path",
            e);
      }
    }
    context.logger().info("writing JSON lines to {}", output.describe());
  }

  @Override
  public void write(List<ConnectionEvent> batch) throws Exception {
    EventJson.Lines lines = json.encode(batch);
    try {
      output.write(lines.array(), lines.size());
    } catch (IOException e) {
      throw new PluginException(
          "sink-jsonl: writing to " + output.describe() + " failed: " + e.getMessage(), e);
    }
    bytes.add(lines.size());
  }

  @Override
  public void close() throws IOException {
    if (output != null) {
      output.close();
    }
  }
}
