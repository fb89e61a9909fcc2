package io.lanthorn.launcher.plugin;

import io.lanthorn.launcher.ExitCodes;
import io.lanthorn.launcher.LauncherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Refuses plugin files another user could change. The agent runs as root, so whoever can write a
 * plugin jar, or the directory holding it, can run code as root.
 *
 * <p>A path passes when it is owned by the user running the agent or by root (root can write
 * everything anyway) and is writable by neither its group nor others. Symbolic links are followed:
 * the target is what gets loaded.
 */
final class PluginFileSafety {
  private final int agentUid;
  private final String agentUser;

  /**
   * @param agentUid the user id the agent runs as
   * @param agentUser that user's name, for the suggested fix
   */
  PluginFileSafety(int agentUid, String agentUser) {
    this.agentUid = agentUid;
    this.agentUser = agentUser;
  }

  /** The checks for the user running this process. */
  static PluginFileSafety forCurrentUser() {
    try {
      // /proc/self belongs to the process's effective user id: no native call needed.
      int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return new PluginFileSafety(uid, System.getProperty("user.name", String.valueOf(uid)));
    } catch (IOException | UnsupportedOperationException e) {
      throw new LauncherException(
          ExitCodes.PLUGINS,
          "plugins: cannot tell which user runs the agent (" + e + "): Lanthorn needs Linux",
          e);
    }
  }

  /**
   * Checks one plugin directory, plugin folder or jar.
   *
   * @throws LauncherException naming the path and the command that fixes it
   */
  void check(Path path) {
    int owner;
    Set<PosixFilePermission> permissions;
    try {
      owner = (Integer) Files.getAttribute(path, "unix:uid");
      permissions = Files.getPosixFilePermissions(path);
    } catch (IOException e) {
      throw new LauncherException(
          ExitCodes.PLUGINS, "plugins: cannot read the permissions of " + path + ": " + e, e);
    }
    String recursive = Files.isDirectory(path) ? "-R " : "";
    if (owner != agentUid && owner != 0) {
      throw new LauncherException(
          ExitCodes.PLUGINS,
          "plugins: "
              + path
              + " is owned by uid "
              + owner
              + (agentUid == 0 ? ", not by root" : ", not by root or " + agentUser)
              + " who runs the agent, so that user could make the agent run their code: run"
              + " chown "
              + recursive
              + agentUser
              + " '"
              + path
              + "'");
    }
    if (permissions.contains(PosixFilePermission.GROUP_WRITE)
        || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new LauncherException(
          ExitCodes.PLUGINS,
          "plugins: "
              + path
              + " is writable by group or others, so they could make the agent run their code:"
              + " run chmod "
              + recursive
              + "go-w '"
              + path
              + "'");
    }
  }
}
