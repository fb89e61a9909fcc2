package io.lanthorn.sink.jsonl;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;

/**
 * Standard output, written through its file descriptor rather than {@code System.out}, which
 * swallows errors: a closed pipe must fail the batch, not lose it silently.
 */
final class StdoutOutput implements LineOutput {
  private final FileOutputStream out = new FileOutputStream(FileDescriptor.out);

  @Override
  public void write(byte[] data, int length) throws IOException {
    out.write(data, 0, length);
  }

  @Override
  public String describe() {
    return "standard output";
  }

  /** Leaves standard output open: it belongs to the process. */
  @Override
  public void close() {}
}
