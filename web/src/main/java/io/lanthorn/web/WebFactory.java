package io.lanthorn.web;

import io.lanthorn.api.ApiVersion;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginConfigException;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.PluginFactory;
import io.lanthorn.api.PluginFlag;
import io.lanthorn.api.PluginKind;
import java.util.List;
import java.util.Set;

/**
 * The {@code web} plugin: the dashboard, its JSON API and {@code /metrics}. A sink only so that it
 * sees each connection once for the counters in {@code /metrics}; pages read sink-sqlite's file.
 * This class and {@link WebSink} are the only ones that know the plugin API.
 */
public final class WebFactory implements PluginFactory {

  /** Does no work: the agent instantiates factories to list them. */
  public WebFactory() {}

  @Override
  public String apiVersion() {
    return ApiVersion.CURRENT;
  }

  @Override
  public String name() {
    return "web";
  }

  @Override
  public String description() {
    return "serves a read-only dashboard, its JSON API and Prometheus /metrics (127.0.0.1:9077)";
  }

  @Override
  public Set<PluginKind> kinds() {
    return Set.of(PluginKind.SINK);
  }

  @Override
  public List<PluginFlag> flags() {
    // Not --db-path: that flag is sink-sqlite's and leaves --help with it (issue 10's rule); a
    // dashboard over another file is pointed there with web.path.
    return List.of(
        PluginFlag.withValue(
            "--web-listen", "listen", "ADDRESS:PORT", "Dashboard and /metrics address."));
  }

  @Override
  public void validate(PluginConfig config) throws PluginException {
    settings(config);
  }

  @Override
  public WebSink create(PluginContext context) throws Exception {
    return WebSink.start(settings(context.config()), context);
  }

  static WebSettings settings(PluginConfig config) throws PluginException {
    try {
      return WebSettings.of(
          config.getString("listen"),
          config.getString("path"),
          config.getString("token"),
          config.getString("password-file"),
          config.getInt("container-cap"),
          config.getInt("destination-cap"));
    } catch (IllegalArgumentException | PluginConfigException e) {
      throw new PluginException(e.getMessage(), e);
    }
  }
}
