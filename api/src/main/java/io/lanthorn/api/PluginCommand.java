package io.lanthorn.api;

import java.io.PrintStream;
import java.util.List;

/**
 * A {@code lanthorn} subcommand a plugin adds through {@link PluginFactory#commands()}, e.g. {@code
 * lanthorn query} from the SQLite sink. Listed in {@code lanthorn --help}; runs instead of the
 * agent, with the plugin's class loader as context class loader.
 *
 * <p>The command receives its plugin's configuration section, with the plugin's {@linkplain
 * PluginFactory#flags() flags} applied: the launcher accepts them before or after the command's
 * name ({@code lanthorn query --db-path x top}), so the command does not declare them again.
 */
public interface PluginCommand {

  /** The subcommand's name, e.g. {@code query}; must not clash with the agent's own commands. */
  String name();

  /** One line for {@code lanthorn --help}. */
  String description();

  /**
   * Runs the command.
   *
   * @param context the plugin's configuration, logger and clock ({@link PluginContext#emitter()} is
   *     unavailable)
   * @param args the arguments after the subcommand's name, less the plugin's flags, including
   *     {@code --help}
   * @param out where results go
   * @param err where errors go, one line each
   * @return the process exit status: 0 for success, 1 for a failure, 2 for bad usage
   */
  int run(PluginContext context, List<String> args, PrintStream out, PrintStream err)
      throws Exception;
}
