package io.lanthorn.probe.tcp;

import io.lanthorn.api.ApiVersion;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.PluginFactory;
import io.lanthorn.api.PluginFlag;
import io.lanthorn.api.PluginKind;
import java.util.List;
import java.util.Set;

/** The {@code probe-tcp} plugin, with the Rust Lanthorn's {@code --disable-tcp-mon}. */
public final class ProbeTcpFactory implements PluginFactory {

  /** Does no work: the agent instantiates factories to list them. */
  public ProbeTcpFactory() {}

  @Override
  public String apiVersion() {
    return ApiVersion.CURRENT;
  }

  @Override
  public String name() {
    return "probe-tcp";
  }

  @Override
  public String description() {
    return "captures outbound TCP connection attempts, accepted connections and their lifetimes with an"
        + " eBPF program";
  }

  @Override
  public Set<PluginKind> kinds() {
    return Set.of(PluginKind.SOURCE);
  }

  @Override
  public List<PluginFlag> flags() {
    return List.of(
        PluginFlag.setting(
            "--disable-tcp-mon", "enabled", false, "Do not monitor TCP connections."),
        PluginFlag.setting(
            "--disable-inbound-mon",
            "inbound",
            false,
            "Do not report accepted (inbound) TCP connections."));
  }

  @Override
  public void validate(PluginConfig config) throws PluginException {
    ProbeTcpConfig.from(config);
  }

  @Override
  public ProbeTcpSource create(PluginContext context) throws PluginException {
    return ProbeTcpSource.start(ProbeTcpConfig.from(context.config()), context);
  }
}
