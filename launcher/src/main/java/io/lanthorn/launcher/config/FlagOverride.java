package io.lanthorn.launcher.config;

/**
 * A configuration value a command-line flag sets, e.g. a plugin's {@code --db-path} sets its {@code
 * path}. Flags override every other layer.
 *
 * @param path the configuration path
 * @param value the value (a string, number or boolean)
 * @param flag the flag as the user typed it, for messages
 */
public record FlagOverride(String path, Object value, String flag) {}
