package io.lanthorn.enricher.docker;

import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.PluginFactory;
import io.lanthorn.api.PluginFlag;
import io.lanthorn.api.PluginKind;
import java.util.List;
import java.util.Set;

/** The {@code enricher-docker} plugin, with the Rust Lanthorn's {@code --disable-docker-mon}. */
public final class DockerEnricherFactory implements PluginFactory {

  /** Does no work: the agent instantiates factories to list them. */
  public DockerEnricherFactory() {}

  @Override
  public String apiVersion() {
    return io.lanthorn.api.ApiVersion.CURRENT;
  }

  @Override
  public String name() {
    return DockerEnricher.NAME;
  }

  @Override
  public String description() {
    return "names the Docker container (and Compose service) behind each event";
  }

  @Override
  public Set<PluginKind> kinds() {
    return Set.of(PluginKind.ENRICHER);
  }

  @Override
  public List<PluginFlag> flags() {
    return List.of(
        PluginFlag.setting(
            "--disable-docker-mon", "enabled", false, "Do not name Docker containers."));
  }

  @Override
  public void validate(PluginConfig config) throws PluginException {
    DockerEnricherConfig.from(config);
  }

  @Override
  public DockerEnricher create(PluginContext context) throws PluginException, InterruptedException {
    return DockerEnricher.start(DockerEnricherConfig.from(context.config()), context);
  }
}
