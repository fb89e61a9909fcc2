/**
 * The Lanthorn plugin API: what every plugin compiles against, and nothing more.
 *
 * <p>A plugin is a jar (or a folder of jars) in the agent's {@code plugins/} directory that
 * provides one or more services through {@link java.util.ServiceLoader}:
 *
 * <ul>
 *   <li>{@link io.lanthorn.api.EventSource} produces {@link io.lanthorn.api.ConnectionEvent}s (the
 *       TCP probe is one);
 *   <li>{@link io.lanthorn.api.Enricher} adds facts to events (the Docker enricher adds the
 *       container);
 *   <li>{@link io.lanthorn.api.Sink} stores or forwards batches of events (SQLite, JSON lines);
 *   <li>{@link io.lanthorn.api.PluginCommand} adds a {@code lanthorn} subcommand.
 * </ul>
 *
 * <p>Each plugin gets its own class loader, whose parent is the platform class loader: only the
 * packages {@code io.lanthorn.api}, {@code com.typesafe.config} and {@code org.slf4j} are shared
 * with the agent. Declare those three dependencies with {@code provided} scope and ship everything
 * else your plugin needs beside its jar.
 */
package io.lanthorn.api;
