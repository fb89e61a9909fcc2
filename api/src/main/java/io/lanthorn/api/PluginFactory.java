package io.lanthorn.api;

import java.util.List;
import java.util.Set;

/**
 * A plugin: the one service a plugin jar provides, found with {@link java.util.ServiceLoader}
 * through a {@code META-INF/services/io.lanthorn.api.PluginFactory} file.
 *
 * <p>The factory declares everything the agent needs to know without running the plugin: its name
 * (also its configuration section), its kinds, its configuration (defaults in the jar's {@code
 * reference.conf} under a section named like the plugin, checked by {@link #validate}), the
 * command-line flags it contributes, and its subcommands. {@link #create} then returns a running
 * instance. The factory needs a public no-argument constructor that does no work: the agent
 * instantiates factories to build {@code lanthorn --help} and {@code lanthorn plugins}.
 *
 * {@snippet :
 * public final class MySinkFactory implements PluginFactory {
 *   public String apiVersion() { return ApiVersion.CURRENT; }
 *   public String name() { return "sink-mine"; }
 *   public String description() { return "writes events to my store"; }
 *   public Set<PluginKind> kinds() { return Set.of(PluginKind.SINK); }
 *   public List<PluginFlag> flags() {
 *     return List.of(PluginFlag.withValue("--mine-path", "path", "PATH", "where to write"));
 *   }
 *   public MySink create(PluginContext context) throws Exception {
 *     return new MySink(context.config().getString("path"));
 *   }
 * }
 * }
 */
public interface PluginFactory {

  /**
   * The API version the plugin was built against: implement it as {@code return
   * ApiVersion.CURRENT;}, which the compiler turns into the constant of the API jar on the build's
   * class path. The agent refuses a plugin whose version it does not {@linkplain
   * ApiVersion#accepts(String) accept}.
   */
  String apiVersion();

  /**
   * The plugin's name: lower-case letters, digits and dashes, e.g. {@code sink-sqlite}. Stable
   * across releases: it is also the plugin's configuration section, which users' files name.
   */
  String name();

  /** One line for {@code lanthorn plugins}, e.g. {@code "stores events in a SQLite file"}. */
  String description();

  /**
   * What {@link #create} returns: the instance implements the interface of each kind. Empty for a
   * plugin that only adds {@linkplain #commands() commands}.
   */
  Set<PluginKind> kinds();

  /** The flags the plugin adds to {@code lanthorn} (and to its own commands); none by default. */
  default List<PluginFlag> flags() {
    return List.of();
  }

  /** The subcommands the plugin adds to {@code lanthorn}, e.g. {@code query}; none by default. */
  default List<PluginCommand> commands() {
    return List.of();
  }

  /**
   * For an enricher: the plugins whose enrichers must run before this one, because it reads what
   * they add (e.g. a threat check that reports the container name and matches the domain name).
   * Names not installed or not enrichers are ignored; the user's {@code lanthorn.enrichers.order}
   * comes first. None by default. Since API 2.2.
   */
  default List<String> enrichAfter() {
    return List.of();
  }

  /**
   * Checks the plugin's section beyond what its reference already checks (types and unknown keys
   * are rejected before this is called), e.g. that a size is positive. Called for every enabled
   * plugin before any plugin is created, so a mistake stops the agent before it starts anything.
   *
   * @throws PluginException naming the key, the bad value and what to use instead
   */
  default void validate(PluginConfig config) throws PluginException {}

  /**
   * Creates the running instance: for a source, capture has begun (an event that happens after this
   * returns is emitted to {@link PluginContext#emitter()}); for a sink or enricher, it is ready for
   * the first event. Called once, on a thread of its own with the plugin's class loader as context
   * class loader, only when the plugin is enabled.
   *
   * @throws PluginException with a one-line message saying what is wrong and what to do, when the
   *     plugin cannot run (missing privilege, missing kernel support, unwritable file …); the
   *     factory releases whatever it acquired before throwing
   */
  PluginInstance create(PluginContext context) throws Exception;
}
