package io.lanthorn.api;

import com.typesafe.config.Config;
import java.io.PrintStream;
import java.util.List;

/**
 * A {@code lanthorn} subcommand a plugin adds, e.g. {@code lanthorn query} from the SQLite sink.
 * Found with {@link java.util.ServiceLoader} like the other services; listed in {@code lanthorn
 * --help}; runs instead of the agent, with the plugin's class loader as context class loader.
 */
public interface PluginCommand {

  /** The subcommand's name, e.g. {@code query}; must not clash with the agent's own commands. */
  String name();

  /** One line for {@code lanthorn --help}. */
  String description();

  /**
   * The configuration section the command reads, usually the name of the plugin it belongs to. The
   * command receives that section, validated, in {@link #run}.
   */
  String configSection();

  /**
   * Runs the command.
   *
   * @param config the {@link #configSection()} section of the effective configuration
   * @param args the arguments after the subcommand's name, including {@code --help}
   * @param out where results go
   * @param err where errors go, one line each
   * @return the process exit status: 0 for success, 1 for a failure, 2 for bad usage
   */
  int run(Config config, List<String> args, PrintStream out, PrintStream err) throws Exception;
}
