package io.lanthorn.probe.udp;

import io.lanthorn.api.ApiVersion;
import io.lanthorn.api.EventSource;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.PluginFactory;
import io.lanthorn.api.PluginFlag;
import io.lanthorn.api.PluginKind;
import io.lanthorn.bpf.BpfException;
import java.util.List;
import java.util.Set;

/** The {@code probe-udp} plugin, with {@code --disable-udp-mon}. */
public final class ProbeUdpFactory implements PluginFactory {

  /** Does no work: the agent instantiates factories to list them. */
  public ProbeUdpFactory() {}

  @Override
  public String apiVersion() {
    return ApiVersion.CURRENT;
  }

  @Override
  public String name() {
    return "probe-udp";
  }

  @Override
  public String description() {
    return "counts UDP datagrams per process, socket and destination with cgroup eBPF hooks";
  }

  @Override
  public Set<PluginKind> kinds() {
    return Set.of(PluginKind.SOURCE);
  }

  @Override
  public List<PluginFlag> flags() {
    return List.of(
        PluginFlag.setting(
            "--disable-udp-mon", "enabled", false, "Do not report UDP destinations."));
  }

  @Override
  public void validate(PluginConfig config) throws PluginException {
    ProbeUdpConfig.from(config);
  }

  /**
   * Starts counting. Like probe-dns, a plugin the agent can run without: where the kernel or the
   * privileges refuse the cgroup programs (no cgroup v2, no {@code CAP_NET_ADMIN}), it says so in
   * one WARN line and captures nothing, rather than stopping the agent.
   */
  @Override
  public EventSource create(PluginContext context) throws PluginException {
    ProbeUdpConfig config = ProbeUdpConfig.from(context.config());
    try {
      return UdpFlowSource.start(config, context, false);
    } catch (PluginException e) {
      if (!(e.getCause() instanceof BpfException)) {
        throw e;
      }
      context
          .logger()
          .warn("UDP destinations are off (--disable-udp-mon silences this): {}", e.getMessage());
      return new EventSource() {
        @Override
        public void stop() {}

        @Override
        public void close() {}
      };
    }
  }
}
