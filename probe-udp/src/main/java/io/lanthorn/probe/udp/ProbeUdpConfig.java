package io.lanthorn.probe.udp;

import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginConfigException;
import io.lanthorn.api.PluginException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code probe-udp} configuration section, checked.
 *
 * @param cgroupRoot the cgroup v2 mount, or empty to find it in /proc/self/mountinfo
 * @param interval how often counts are read and reported
 * @param flowEntries capacity of the kernel's LRU map of flows
 * @param idleTimeout how long a flow without datagrams stays in the map
 * @param skipDns whether datagrams to port 53 are left to probe-dns
 */
record ProbeUdpConfig(
    Optional<Path> cgroupRoot,
    Duration interval,
    int flowEntries,
    Duration idleTimeout,
    boolean skipDns) {

  /** Reads and checks the section; every failure names the key and what is allowed. */
  static ProbeUdpConfig from(PluginConfig config) throws PluginException {
    try {
      String root = config.getString("cgroup-root");
      Duration interval = config.getDuration("interval");
      if (interval.toMillis() < 10 || interval.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new PluginException(
            "probe-udp.interval must be from 10ms to 10m (e.g. 5s), not " + interval);
      }
      int entries = config.getInt("flow-entries");
      if (entries < 1) {
        throw new PluginException(
            "probe-udp.flow-entries must be positive (e.g. 16384), not " + entries);
      }
      Duration idle = config.getDuration("idle-timeout");
      if (idle.compareTo(interval) < 0) {
        throw new PluginException(
            "probe-udp.idle-timeout must be at least interval (" + interval + "), not " + idle);
      }
      return new ProbeUdpConfig(
          root.equals("auto") ? Optional.empty() : Optional.of(Path.of(root)),
          interval,
          entries,
          idle,
          config.getBoolean("skip-dns"));
    } catch (PluginConfigException e) {
      throw new PluginException("probe-udp configuration: " + e.getMessage(), e);
    }
  }
}
