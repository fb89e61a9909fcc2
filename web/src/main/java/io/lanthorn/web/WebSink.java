package io.lanthorn.web;

import io.lanthorn.api.AddressText;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventKind;
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
import java.util.Set;

/** The running web plugin: the server, and the connection counters it feeds from each batch. */
public final class WebSink implements Sink {
  private final WebServer server;
  private final ConnectionCounters counters;

  private WebSink(WebServer server, ConnectionCounters counters) {
    this.server = server;
    this.counters = counters;
  }

  static WebSink start(WebSettings settings, PluginContext context) throws PluginException {
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new AgentMetrics(() -> samples(context)));
    ConnectionCounters counters =
        new ConnectionCounters(registry, settings.containerCap(), settings.destinationCap());
    WebServer server;
    try {
      server = WebServer.start(settings, registry, context.clock(), context.logger());
    } catch (IllegalArgumentException | IOException e) {
      throw new PluginException(e.getMessage(), e);
    }
    context.logger().info("dashboard and /metrics on http://{}/", hostAndPort(server.address()));
    return new WebSink(server, counters);
  }

  @Override
  public Set<EventKind> kinds() {
    return Set.of(EventKind.TCP_CONNECT);
  }

  @Override
  public void write(List<? extends Event> batch) {
    for (Event event : batch) {
      if (event instanceof ConnectionEvent connection) {
        counters.record(
            connection.attribute(StandardAttributes.CONTAINER_NAME),
            connection.outcome().label(),
            AddressText.of(connection.destinationAddress()) + ":" + connection.destinationPort());
      }
    }
  }

  /** Where it listens (tests bind port 0). */
  public InetSocketAddress address() {
    return server.address();
  }

  @Override
  public void close() {
    server.close();
  }

  /**
   * The agent's registry gives names and values only, so plugin metrics are of unknown kind; the
   * agent's own pipeline counters are known to be counters, its queue lengths gauges. See
   * /work/helpers/WEB-NEEDS.md for the API addition that would carry kinds and descriptions.
   */
  private static List<MetricSample> samples(PluginContext context) {
    return context.metrics().snapshot().entrySet().stream()
        .map(e -> new MetricSample(e.getKey(), kind(e.getKey()), "", e.getValue()))
        .toList();
  }

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
