package io.lanthorn.launcher.plugin;

import io.lanthorn.api.PluginCommand;
import io.lanthorn.api.PluginFactory;
import io.lanthorn.api.PluginFlag;
import io.lanthorn.api.PluginKind;
import java.util.List;
import java.util.Set;

/**
 * A plugin as the agent knows it: where it was found, its class loader, and its factory, whose
 * declarations were read once at discovery.
 *
 * @param location its folder or jar
 * @param loader the class loader reading its jars; the context class loader for every call into it
 * @param factory its factory, instantiated but never asked to create anything yet
 * @param name the factory's name: the plugin's name and configuration section
 * @param description the factory's one line
 * @param kinds what its instance is
 * @param flags the flags it contributes
 * @param commands its subcommands
 */
public record InstalledPlugin(
    PluginLocation location,
    PluginClassLoader loader,
    PluginFactory factory,
    String name,
    String description,
    Set<PluginKind> kinds,
    List<PluginFlag> flags,
    List<PluginCommand> commands) {

  /** Copies the declarations. */
  public InstalledPlugin {
    kinds = Set.copyOf(kinds);
    flags = List.copyOf(flags);
    commands = List.copyOf(commands);
  }

  /** Whether its instance is of this kind. */
  public boolean is(PluginKind kind) {
    return kinds.contains(kind);
  }

  /** Its kinds, lower-case, comma-separated, in the order source, enricher, sink; or "command". */
  public String kindLabel() {
    List<String> labels =
        java.util.Arrays.stream(PluginKind.values())
            .filter(kinds::contains)
            .map(PluginKind::label)
            .toList();
    return labels.isEmpty() ? "command" : String.join(",", labels);
  }
}
