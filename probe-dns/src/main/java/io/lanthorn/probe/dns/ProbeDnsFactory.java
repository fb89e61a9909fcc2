package io.lanthorn.probe.dns;

import io.lanthorn.api.ApiVersion;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.PluginFactory;
import io.lanthorn.api.PluginFlag;
import io.lanthorn.api.PluginKind;
import java.util.List;
import java.util.Set;

/**
 * The {@code probe-dns} plugin, with the Rust Lanthorn's {@code --disable-dns-mon}: a source of DNS
 * answers captured in the kernel, and the enricher that names connections with them.
 */
public final class ProbeDnsFactory implements PluginFactory {

  /** Does no work: the agent instantiates factories to list them. */
  public ProbeDnsFactory() {}

  @Override
  public String apiVersion() {
    return ApiVersion.CURRENT;
  }

  @Override
  public String name() {
    return "probe-dns";
  }

  @Override
  public String description() {
    return "captures DNS answers in the kernel per cgroup and names each connection with the"
        + " domain its own container resolved";
  }

  @Override
  public Set<PluginKind> kinds() {
    return Set.of(PluginKind.SOURCE, PluginKind.ENRICHER);
  }

  @Override
  public List<PluginFlag> flags() {
    return List.of(
        PluginFlag.setting(
            "--disable-dns-mon",
            "enabled",
            false,
            "Do not capture DNS answers nor name connections with them."));
  }

  @Override
  public void validate(PluginConfig config) throws PluginException {
    ProbeDnsConfig.from(config);
  }

  @Override
  public ProbeDnsPlugin create(PluginContext context) throws PluginException {
    return ProbeDnsPlugin.start(ProbeDnsConfig.from(context.config()), context);
  }
}
