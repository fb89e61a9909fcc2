package io.lanthorn.launcher.plugin;

import io.lanthorn.api.Enricher;
import io.lanthorn.api.EventSource;
import io.lanthorn.api.PluginCommand;
import io.lanthorn.api.Sink;

/** The kinds of service a plugin can provide, in the order {@code lanthorn plugins} lists them. */
public enum ServiceKind {
  /** An {@link EventSource}. */
  SOURCE("source", EventSource.class),
  /** An {@link Enricher}. */
  ENRICHER("enricher", Enricher.class),
  /** A {@link Sink}. */
  SINK("sink", Sink.class),
  /** A {@link PluginCommand}. */
  COMMAND("command", PluginCommand.class);

  private final String label;
  private final Class<?> type;

  ServiceKind(String label, Class<?> type) {
    this.label = label;
    this.type = type;
  }

  /** The lower-case word users see. */
  public String label() {
    return label;
  }

  /** The service interface. */
  public Class<?> type() {
    return type;
  }
}
