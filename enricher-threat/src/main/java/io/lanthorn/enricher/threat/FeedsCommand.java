package io.lanthorn.enricher.threat;

import io.lanthorn.api.PluginCommand;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code lanthorn feeds}: each configured feed with its entries, last good refresh and last error,
 * as the running agent last saved them (the command itself fetches nothing). {@code lanthorn feeds
 * --accept-shrink NAME} lets the agent take a feed's next version however much it shrank: a list
 * that really lost more than {@code min-keep-ratio} of its entries is otherwise refused at every
 * refresh, as a broken download would be.
 */
final class FeedsCommand implements PluginCommand {
  @Override
  public String name() {
    return "feeds";
  }

  @Override
  public String description() {
    return "Show each threat feed: entries, last good refresh, last error.";
  }

  @Override
  public int run(PluginContext context, List<String> args, PrintStream out, PrintStream err) {
    String acceptShrink = null;
    if (!args.isEmpty()) {
      if (args.equals(List.of("--help")) || args.equals(List.of("-h"))) {
        out.println("Usage: lanthorn feeds [--accept-shrink NAME]");
        out.println(description());
        out.println(
            "  --accept-shrink NAME  take feed NAME's next version however much it shrank (a"
                + " list shrinking by more than min-keep-ratio is refused until then)");
        return 0;
      }
      if (args.size() != 2 || !args.getFirst().equals("--accept-shrink")) {
        err.println(
            "lanthorn feeds: unexpected argument "
                + args.getFirst()
                + "; it takes none, or --accept-shrink NAME");
        return 2;
      }
      acceptShrink = args.get(1);
    }
    ThreatSettings settings;
    try {
      settings = ThreatSettings.from(context.config());
    } catch (PluginException e) {
      err.println("lanthorn feeds: " + e.getMessage());
      return 2;
    }
    FeedCache cache = new FeedCache(settings.cacheDir());
    if (acceptShrink != null) {
      return acceptShrink(context, settings, cache, acceptShrink, out, err);
    }
    out.printf(
        "%-16s %-7s %9s %9s  %-24s  %s%n",
        "FEED", "FORMAT", "ENTRIES", "MALFORMED", "LAST GOOD REFRESH", "LAST ERROR");
    for (FeedSpec feed : settings.feeds()) {
      FeedStatus status;
      try {
        status = cache.status(feed.name());
      } catch (IOException | RuntimeException e) {
        err.println(
            "lanthorn feeds: cannot read the status of feed '"
                + feed.name()
                + "' in "
                + settings.cacheDir()
                + ": "
                + e.getMessage());
        return 1;
      }
      boolean current = feed.url().toString().equals(status.url());
      out.printf(
          "%-16s %-7s %9s %9s  %-24s  %s%n",
          feed.name(),
          feed.format().label(),
          current ? Integer.toString(status.entries()) : "-",
          current ? Integer.toString(status.malformed()) : "-",
          current && status.lastGood() != null ? status.lastGood().toString() : "never",
          status.lastError() == null
              ? "-"
              : status.lastError() + " (" + status.lastErrorAt() + ")");
    }
    if (settings.feeds().isEmpty()) {
      out.println("(no feeds configured: enricher-threat.feeds is empty)");
    }
    return 0;
  }

  private static int acceptShrink(
      PluginContext context,
      ThreatSettings settings,
      FeedCache cache,
      String name,
      PrintStream out,
      PrintStream err) {
    FeedSpec feed =
        settings.feeds().stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    if (feed == null) {
      err.println(
          "lanthorn feeds: no feed is named '"
              + name
              + "'; the configured ones: "
              + String.join(", ", settings.feeds().stream().map(FeedSpec::name).toList()));
      return 2;
    }
    try {
      cache.acceptShrink(name, context.clock().instant());
    } catch (IOException | RuntimeException e) {
      err.println(
          "lanthorn feeds: cannot record it in "
              + settings.cacheDir()
              + " ("
              + e.getMessage()
              + "): run it as the user the agent runs as");
      return 1;
    }
    out.println(
        "feed '"
            + name
            + "': the agent takes its next version however much it shrank, at its next refresh"
            + " (every "
            + feed.refreshText()
            + ") or its next start; the versions after are checked again");
    return 0;
  }
}
