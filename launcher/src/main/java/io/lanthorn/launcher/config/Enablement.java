package io.lanthorn.launcher.config;

/**
 * Whether a plugin service runs, and which configuration layer decided it.
 *
 * @param enabled whether it runs
 * @param decidedBy what set its {@code enabled} key: a flag, a file and line, the environment, or
 *     the plugin's default
 */
public record Enablement(boolean enabled, String decidedBy) {}
