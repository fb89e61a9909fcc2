package io.lanthorn.sink.jsonl;

import java.io.Closeable;
import java.io.IOException;

/** Where encoded lines go: a file or standard output. */
interface LineOutput extends Closeable {

  /**
   * Writes whole lines and returns once they are as durable as configured. On failure nothing of
   * {@code data} remains written.
   */
  void write(byte[] data, int length) throws IOException;

  /** What the output is, for messages. */
  String describe();
}
