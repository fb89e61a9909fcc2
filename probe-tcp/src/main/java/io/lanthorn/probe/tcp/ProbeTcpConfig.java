package io.lanthorn.probe.tcp;

import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginConfigException;
import io.lanthorn.api.PluginException;
import java.time.Duration;
import java.util.List;

/**
 * The {@code probe-tcp} configuration section, checked.
 *
 * @param ringSize kernel ring buffer size in bytes, a power of two
 * @param wakeupThreshold bytes waiting in the ring before the kernel wakes the reader
 * @param pollInterval how long the reader sleeps between reads when not woken
 * @param inflightEntries capacity of the in-flight map
 * @param inflightTimeout how long an attempt may stay in flight before it is presumed ended unseen
 * @param captureArgv whether to record the start of the process's arguments
 * @param attach attach strategy names, in the order to try them
 * @param inbound whether accepted connections are reported ({@code tcp_accept})
 * @param lifetime whether the close of an established connection is reported ({@code tcp_close})
 * @param lifetimeEntries capacity of the kernel's LRU map of established connections
 */
record ProbeTcpConfig(
    int ringSize,
    long wakeupThreshold,
    Duration pollInterval,
    int inflightEntries,
    Duration inflightTimeout,
    boolean captureArgv,
    List<String> attach,
    boolean inbound,
    boolean lifetime,
    int lifetimeEntries) {

  private static final long MIN_RING = 4096;
  private static final long MAX_RING = 1L << 30;

  /** Reads and checks the section; every failure names the key and what is allowed. */
  static ProbeTcpConfig from(PluginConfig config) throws PluginException {
    try {
      long ringSize = config.getBytes("ring-size");
      if (ringSize < MIN_RING || ringSize > MAX_RING || Long.bitCount(ringSize) != 1) {
        throw new PluginException(
            "probe-tcp.ring-size must be a power of two from 4K to 1G (e.g. 8M), not " + ringSize);
      }
      long threshold = config.getBytes("wakeup-threshold");
      if (threshold < 0 || threshold >= ringSize) {
        throw new PluginException(
            "probe-tcp.wakeup-threshold must be at least 0 and less than ring-size ("
                + ringSize
                + "), not "
                + threshold);
      }
      Duration poll = config.getDuration("poll-interval");
      if (poll.toMillis() < 1 || poll.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new PluginException(
            "probe-tcp.poll-interval must be from 1ms to 10s (e.g. 50ms), not " + poll);
      }
      int inflight = config.getInt("inflight-entries");
      if (inflight < 1) {
        throw new PluginException(
            "probe-tcp.inflight-entries must be positive (e.g. 16384), not " + inflight);
      }
      Duration inflightTimeout = config.getDuration("inflight-timeout");
      if (inflightTimeout.toMillis() < 1) {
        throw new PluginException(
            "probe-tcp.inflight-timeout must be at least 1ms (e.g. 10m), not " + inflightTimeout);
      }
      List<String> attach = config.getStringList("attach");
      if (attach.isEmpty()) {
        throw new PluginException(
            "probe-tcp.attach must name at least one strategy: "
                + String.join(", ", TcpAttachStrategies.NAMES));
      }
      for (String name : attach) {
        if (!TcpAttachStrategies.NAMES.contains(name)) {
          throw new PluginException(
              "probe-tcp.attach: unknown strategy "
                  + name
                  + "; known: "
                  + String.join(", ", TcpAttachStrategies.NAMES));
        }
      }
      int lifetimeEntries = config.getInt("lifetime-entries");
      if (lifetimeEntries < 1) {
        throw new PluginException(
            "probe-tcp.lifetime-entries must be positive (e.g. 65536), not " + lifetimeEntries);
      }
      return new ProbeTcpConfig(
          (int) ringSize,
          threshold,
          poll,
          inflight,
          inflightTimeout,
          config.getBoolean("capture-argv"),
          attach,
          config.getBoolean("inbound"),
          config.getBoolean("lifetime"),
          lifetimeEntries);
    } catch (PluginConfigException e) {
      throw new PluginException("probe-tcp configuration: " + e.getMessage(), e);
    }
  }
}
