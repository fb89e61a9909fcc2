package io.lanthorn.api;

import com.typesafe.config.Config;
import java.time.Clock;
import org.slf4j.Logger;

/** What the agent gives a plugin when it starts. */
public interface PluginContext {

  /** The plugin's name, as returned by {@link Plugin#name()}. */
  String pluginName();

  /**
   * The plugin's own configuration section: its {@code reference.conf} defaults, overridden by the
   * user's file, the environment and command-line flags, already checked against the reference
   * (unknown keys and wrong types are rejected before the plugin starts).
   */
  Config config();

  /** A logger named after the plugin. */
  Logger logger();

  /** The metric registry; names are prefixed with the plugin's name. */
  Metrics metrics();

  /** The wall clock; tests substitute it. */
  Clock clock();

  /** The agent's running totals, read now. */
  PipelineStats pipelineStats();
}
