package io.lanthorn.probe.udp;

import io.lanthorn.api.ApiVersion;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.PluginFactory;
import io.lanthorn.api.PluginFlag;
import io.lanthorn.api.PluginKind;
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

  @Override
  public UdpFlowSource create(PluginContext context) throws PluginException {
    return UdpFlowSource.start(ProbeUdpConfig.from(context.config()), context);
  }
}
