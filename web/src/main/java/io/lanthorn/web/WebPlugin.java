package io.lanthorn.web;

import com.typesafe.config.Config;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.Sink;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.web.http.WebServer;
import io.lanthorn.web.metrics.AgentMetrics;
import io.lanthorn.web.metrics.ConnectionCounters;
import io.lanthorn.web.metrics.MetricSample;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The {@code web} plugin: the thin adapter between the agent's plugin API and the dashboard. It is
 * a sink only to see each event once for the connection counters in {@code /metrics}; pages read
 * sink-sqlite's file. Everything else (server, queries, metrics) knows nothing of the plugin API.
 */
public final class WebPlugin implements Sink {
  private WebServer server;
  private ConnectionCounters counters;

  @Override
  public String name() {
    return "web";
  }

  @Override
  public void start(PluginContext context) throws Exception {
    WebSettings settings;
    try {
      settings = settings(context.config());
    } catch (IllegalArgumentException e) {
      throw new PluginException(e.getMessage(), e);
    }
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new AgentMetrics(() -> samples(context)));
    counters = new ConnectionCounters(registry, settings.containerCap(), settings.destinationCap());
    try {
      server = WebServer.start(settings, registry, context.clock(), context.logger());
    } catch (IllegalArgumentException | IOException e) {
      throw new PluginException(e.getMessage(), e);
    }
    context.logger().info("dashboard and /metrics on http://{}/", hostAndPort(server.address()));
  }

  @Override
  public void write(List<ConnectionEvent> batch) {
    for (ConnectionEvent event : batch) {
      counters.record(
          event.attribute(StandardAttributes.CONTAINER_NAME),
          event.outcome().label(),
          io.lanthorn.api.AddressText.of(event.destinationAddress())
              + ":"
              + event.destinationPort());
    }
  }

  /** Where it listens, once started (tests bind port 0). */
  public InetSocketAddress address() {
    return server.address();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }

  static WebSettings settings(Config config) {
    return WebSettings.of(
        config.getString("listen"),
        config.getString("path"),
        config.getString("token"),
        config.getString("password-file"),
        config.getInt("container-cap"),
        config.getInt("destination-cap"));
  }

  /**
   * The agent's registry says names and values only, so every sample is of unknown kind; see
   * WEB-NEEDS (a read-only metrics view with kinds and descriptions) for the API addition.
   */
  private static List<MetricSample> samples(PluginContext context) {
    return context.metrics().snapshot().entrySet().stream()
        .map(e -> new MetricSample(e.getKey(), kind(e.getKey()), "", e.getValue()))
        .toList();
  }

  /** The agent's own pipeline counters are known to be counters; queue lengths are gauges. */
  private static MetricSample.Kind kind(String name) {
    if (name.startsWith("lanthorn.")) {
      return name.endsWith(".queued") ? MetricSample.Kind.GAUGE : MetricSample.Kind.COUNTER;
    }
    return MetricSample.Kind.UNKNOWN;
  }

  private static String hostAndPort(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
