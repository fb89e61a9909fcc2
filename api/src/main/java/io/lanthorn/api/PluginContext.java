package io.lanthorn.api;

import java.time.Clock;
import org.slf4j.Logger;

/** What the agent gives a plugin's {@link PluginFactory#create} and its commands. */
public interface PluginContext {

  /** The plugin's name, as its factory's {@link PluginFactory#name()} returns it. */
  String pluginName();

  /** The plugin's own configuration section, validated, without the agent's {@code enabled}. */
  PluginConfig config();

  /** A logger named after the plugin. */
  Logger logger();

  /** The metric registry; names are prefixed with the plugin's name. */
  Metrics metrics();

  /** The wall clock; tests substitute it. */
  Clock clock();

  /** The agent's running totals, read now. */
  PipelineStats pipelineStats();

  /** This host's name, for {@link EventHeader#hostName()}. */
  String hostName();

  /**
   * Where a source hands its events; thread-safe. An enricher has one too, for events about its own
   * state that sinks may keep (enricher-threat reports each feed's version as a {@link
   * ThreatFeedEvent}); it emits from its own threads, never from {@link Enricher#enrich}, and if it
   * also implements {@link EventSource} the agent stops it with the sources, before the drain.
   *
   * @throws IllegalStateException for a plugin that is neither a {@link PluginKind#SOURCE} nor an
   *     {@link PluginKind#ENRICHER}, or in a command
   */
  EventEmitter emitter();
}
