package io.lanthorn.sink.jsonl;

import io.lanthorn.api.Counter;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventKind;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.Sink;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Writes every event, of every kind, as one JSON object per line, to a file or standard output
 * ({@code sink-jsonl}). A batch is acknowledged only after it was written whole (and, for a file
 * with {@code fsync = true}, forced to disk); a failed batch leaves nothing behind, so the agent's
 * retry cannot duplicate lines.
 *
 * <p>Metrics: {@code sink-jsonl.bytes} written, {@code sink-jsonl.rotations} of the file.
 */
public final class JsonlSink implements Sink {
  private final EventJson json = new EventJson();
  private final LineOutput output;
  private final Counter bytes;

  private JsonlSink(LineOutput output, Counter bytes) {
    this.output = output;
    this.bytes = bytes;
  }

  /** Opens the output the settings name. */
  static JsonlSink open(JsonlSettings settings, PluginContext context) throws PluginException {
    Counter bytes = context.metrics().counter("bytes", "bytes of JSON lines written");
    Counter rotations = context.metrics().counter("rotations", "times the file was rotated");
    LineOutput output;
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
    return new JsonlSink(output, bytes);
  }

  /**
   * Every kind a host's activity makes: each has its own fields (see {@link EventJson}). Not a
   * threat feed's version (its entries are a list, not activity, and can run to a million lines).
   */
  @Override
  public Set<EventKind> kinds() {
    return EnumSet.complementOf(EnumSet.of(EventKind.THREAT_FEED));
  }

  @Override
  public void write(List<? extends Event> batch) throws Exception {
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
    output.close();
  }
}
