package io.lanthorn.api;

import java.util.Locale;

/** What a plugin's instance is, as its {@link PluginFactory#kinds()} declares. */
public enum PluginKind {
  /** An {@link EventSource}. */
  SOURCE(EventSource.class),
  /** An {@link Enricher}. */
  ENRICHER(Enricher.class),
  /** A {@link Sink}. */
  SINK(Sink.class);

  private final Class<? extends PluginInstance> type;

  PluginKind(Class<? extends PluginInstance> type) {
    this.type = type;
  }

  /** The interface an instance of this kind implements. */
  public Class<? extends PluginInstance> type() {
    return type;
  }

  /** The lower-case word users see, e.g. {@code sink}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
