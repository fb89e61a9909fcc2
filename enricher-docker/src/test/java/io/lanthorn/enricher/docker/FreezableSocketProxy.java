package io.lanthorn.enricher.docker;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A unix-socket proxy in front of the Docker socket that a test can freeze: while frozen it accepts
 * connections and reads requests but delivers nothing either way, which is what a hung daemon (one
 * stopped with SIGSTOP, say) looks like to a client, without stopping the shared daemon.
 */
final class FreezableSocketProxy implements AutoCloseable {
  private final Path listen;
  private final Path target;
  private final ServerSocketChannel server;
  private final List<SocketChannel> channels = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private boolean frozen;

  FreezableSocketProxy(Path listen, Path target) throws IOException {
    this.listen = listen;
    this.target = target;
    Files.deleteIfExists(listen);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(listen));
    Thread.ofVirtual().name("proxy-accept").start(this::accept);
  }

  /** The socket to point clients at. */
  Path socket() {
    return listen;
  }

  void freeze() {
    synchronized (lock) {
      frozen = true;
    }
  }

  void thaw() {
    synchronized (lock) {
      frozen = false;
      lock.notifyAll();
    }
  }

  private void accept() {
    try {
      while (server.isOpen()) {
        SocketChannel client = server.accept();
        SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(target));
        channels.add(client);
        channels.add(upstream);
        Thread.ofVirtual().start(() -> pump(client, upstream));
        Thread.ofVirtual().start(() -> pump(upstream, client));
      }
    } catch (IOException closed) {
      // The proxy was closed.
    }
  }

  private void pump(SocketChannel from, SocketChannel to) {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    try {
      while (from.read(buffer) >= 0) {
        awaitThawed();
        buffer.flip();
        while (buffer.hasRemaining()) {
          to.write(buffer);
        }
        buffer.clear();
      }
    } catch (IOException | InterruptedException e) {
      // One side went away.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void awaitThawed() throws InterruptedException {
    synchronized (lock) {
      while (frozen) {
        lock.wait();
      }
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }

  @Override
  public void close() throws IOException {
    thaw();
    server.close();
    channels.forEach(FreezableSocketProxy::closeQuietly);
    Files.deleteIfExists(listen);
  }
}
