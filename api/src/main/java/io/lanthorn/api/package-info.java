/**
 * The Lanthorn plugin API: what every plugin compiles against, and nothing more.
 *
 * <h2>A plugin is a factory</h2>
 *
 * <p>A plugin is a jar (or a folder of jars) in the agent's {@code plugins/} directory providing
 * one {@link io.lanthorn.api.PluginFactory} through {@link java.util.ServiceLoader}. The factory
 * declares the plugin's name (also its configuration section), its {@linkplain
 * io.lanthorn.api.PluginKind kinds}, its configuration (defaults in the jar's {@code
 * reference.conf}, checks in {@code validate}), the {@linkplain io.lanthorn.api.PluginFlag flags}
 * it adds to {@code lanthorn} and its {@linkplain io.lanthorn.api.PluginCommand subcommands}; the
 * agent builds {@code lanthorn --help} and {@code lanthorn plugins} from those declarations. Its
 * {@code create} returns a running instance whose fields are final:
 *
 * <ul>
 *   <li>an {@link io.lanthorn.api.EventSource} emits {@linkplain io.lanthorn.api.Event events} (the
 *       TCP probe is one);
 *   <li>an {@link io.lanthorn.api.Enricher} adds facts to the kinds of event it declares (the
 *       Docker enricher adds the container);
 *   <li>a {@link io.lanthorn.api.Sink} stores or forwards batches of the kinds it declares (SQLite,
 *       JSON lines).
 * </ul>
 *
 * <p>A plugin states the API version it was built against ({@link
 * io.lanthorn.api.PluginFactory#apiVersion()}, returning {@link
 * io.lanthorn.api.ApiVersion#CURRENT}); the agent refuses an incompatible one in one line naming
 * both versions.
 *
 * <h2>Events and their vocabulary</h2>
 *
 * <p>{@link io.lanthorn.api.Event} is a sealed family of records sharing an {@link
 * io.lanthorn.api.EventHeader} and one {@link io.lanthorn.api.Attributes} bag: {@link
 * io.lanthorn.api.ConnectionEvent}, {@link io.lanthorn.api.DnsEvent}, {@link
 * io.lanthorn.api.InboundAcceptEvent}, {@link io.lanthorn.api.UdpFlowEvent}, and {@link
 * io.lanthorn.api.ThreatFeedEvent} (not something a host did: the version of a threat feed an
 * enricher matches with, for sinks that keep the feeds). {@link io.lanthorn.api.Vocabulary} names
 * their fields (OpenTelemetry's names where they exist) and fixes how values are encoded; {@link
 * io.lanthorn.api.AttributesJson} is the one JSON encoding of attributes.
 *
 * <h2>Class loading, and why configuration is an interface</h2>
 *
 * <p>Each plugin gets its own class loader, whose parent is the platform class loader: only the
 * packages {@code io.lanthorn.api} and {@code org.slf4j} are shared with the agent. Declare those
 * two with {@code provided} scope and ship everything else your plugin needs beside its jar.
 *
 * <p>The agent reads its configuration with typesafe-config, but a plugin sees only {@link
 * io.lanthorn.api.PluginConfig}, its own section behind a small interface of this API. Exporting
 * typesafe's {@code Config} would pin that library's version for every third-party plugin forever
 * and forbid a plugin from bundling another version; now a plugin may bundle any version of any
 * library, typesafe-config included, and it stays the plugin's own. slf4j stays shared: its API is
 * a stable facade (one {@code Logger} interface since 1.0), and sharing it is what routes plugin
 * logging into the agent's log.
 */
package io.lanthorn.api;
