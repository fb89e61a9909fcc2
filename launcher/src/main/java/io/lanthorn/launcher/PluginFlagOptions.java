package io.lanthorn.launcher;

import io.lanthorn.launcher.config.FlagOverride;
import io.lanthorn.launcher.plugin.DeclaredFlag;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The flags plugins declare, as picocli options: added to a command so that {@code --help} lists
 * them and the parser accepts them, then read back as {@link FlagOverride}s. The launcher knows no
 * flag of any plugin by name.
 */
final class PluginFlagOptions {
  private PluginFlagOptions() {}

  /** Adds the flags to a command. */
  static void addTo(CommandSpec command, List<DeclaredFlag> flags) {
    for (DeclaredFlag flag : flags) {
      OptionSpec.Builder option =
          OptionSpec.builder(flag.name()).description(flag.helpLine()).userObject(flag);
      if (flag.takesValue()) {
        option.paramLabel(flag.valueLabel()).type(String.class).arity("1");
      } else {
        option.type(boolean.class).arity("0");
      }
      command.addOption(option.build());
    }
  }

  /** The configuration values set by the plugin flags given on this command. */
  static List<FlagOverride> given(CommandSpec command) {
    List<FlagOverride> overrides = new ArrayList<>();
    for (OptionSpec option : command.options()) {
      if (!(option.userObject() instanceof DeclaredFlag flag)) {
        continue;
      }
      Object value = option.getValue();
      if (value == null || Boolean.FALSE.equals(value)) {
        continue;
      }
      for (DeclaredFlag.Target target : flag.targets()) {
        overrides.add(
            new FlagOverride(
                target.path(),
                flag.takesValue() ? value : target.flag().switchValue(),
                flag.name()));
      }
    }
    return overrides;
  }
}
