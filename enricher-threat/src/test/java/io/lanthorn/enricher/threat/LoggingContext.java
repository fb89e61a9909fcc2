package io.lanthorn.enricher.threat;

import io.lanthorn.api.EventEmitter;
import io.lanthorn.api.Metrics;
import io.lanthorn.api.PipelineStats;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.testkit.TestPluginContext;
import java.time.Clock;
import org.slf4j.Logger;

/** A test context whose logger records what the plugin logs. */
record LoggingContext(TestPluginContext delegate, RecordingLogger log) implements PluginContext {
  static LoggingContext of(TestPluginContext context) {
    return new LoggingContext(context, new RecordingLogger());
  }

  @Override
  public String pluginName() {
    return delegate.pluginName();
  }

  @Override
  public PluginConfig config() {
    return delegate.config();
  }

  @Override
  public Logger logger() {
    return log;
  }

  @Override
  public Metrics metrics() {
    return delegate.metrics();
  }

  @Override
  public Clock clock() {
    return delegate.clock();
  }

  @Override
  public PipelineStats pipelineStats() {
    return delegate.pipelineStats();
  }

  @Override
  public String hostName() {
    return delegate.hostName();
  }

  @Override
  public EventEmitter emitter() {
    return delegate.emitter();
  }
}
