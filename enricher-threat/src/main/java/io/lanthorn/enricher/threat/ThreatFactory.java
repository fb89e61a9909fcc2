package io.lanthorn.enricher.threat;

import io.lanthorn.api.ApiVersion;
import io.lanthorn.api.PluginCommand;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.PluginFlag;
import io.lanthorn.api.PluginKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The {@code enricher-threat} plugin: threat-intelligence feeds matched against every event. */
public final class ThreatFactory implements io.lanthorn.api.PluginFactory {
  /**
   * The container's name (for the warning) and the domain name (matched against domain feeds) come
   * from these enrichers, when installed.
   */
  @Override
  public List<String> enrichAfter() {
    return List.of("enricher-docker", "probe-dns");
  }

  /** The plugin's name and configuration section. */
  public static final String NAME = "enricher-threat";

  /** Instantiated by the agent's service loader. */
  public ThreatFactory() {}

  @Override
  public String apiVersion() {
    return ApiVersion.CURRENT;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "flags connections and DNS answers that threat-intelligence feeds list";
  }

  @Override
  public Set<PluginKind> kinds() {
    // An enricher only: it reports each feed's version to the sinks (ThreatFeedEvent) through the
    // emitter every enricher's context has, without counting as a source of what hosts do.
    return Set.of(PluginKind.ENRICHER);
  }

  @Override
  public List<PluginFlag> flags() {
    return List.of(
        PluginFlag.setting(
            "--disable-threat-feeds",
            "enabled",
            false,
            "Do not fetch or match threat-intelligence feeds."));
  }

  @Override
  public List<PluginCommand> commands() {
    return List.of(new FeedsCommand());
  }

  @Override
  public void validate(PluginConfig config) throws PluginException {
    ThreatSettings.from(config);
  }

  @Override
  public ThreatEnricher create(PluginContext context) throws PluginException {
    ThreatSettings settings = ThreatSettings.from(context.config());
    FeedCache cache = new FeedCache(settings.cacheDir());
    FeedDownloader downloader = new FeedDownloader(settings.maxSize(), settings.timeout());
    List<FeedState> feeds = new ArrayList<>();
    for (FeedSpec spec : settings.feeds()) {
      FeedState feed =
          new FeedState(
              spec,
              cache,
              downloader,
              context.clock(),
              context.logger(),
              settings.minKeepRatio(),
              context
                  .metrics()
                  .counter(
                      "threat.hits." + spec.metricWord(),
                      "events feed '" + spec.name() + "' listed"));
      feed.loadSaved();
      context
          .metrics()
          .gauge(
              "feeds." + spec.metricWord() + ".entries",
              "entries of feed '" + spec.name() + "' matched now",
              () -> feed.content().entries());
      feeds.add(feed);
    }
    FeedReporter reporter =
        new FeedReporter(context.emitter(), context.clock(), context.hostName());
    FeedRefresher refresher =
        FeedRefresher.start(feeds, settings.remoteFetch(), downloader, reporter, context.logger());
    return new ThreatEnricher(
        new ThreatIndex(feeds, settings.allowlist()),
        refresher,
        reporter,
        context.logger(),
        settings.warnedPairs());
  }
}
