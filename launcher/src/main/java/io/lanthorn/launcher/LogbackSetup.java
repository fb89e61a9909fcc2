package io.lanthorn.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Logback's configuration, in code: one console appender on standard error with a concise pattern.
 *
 * <p>Found by logback through {@code META-INF/services}; configuring in code skips logback's XML
 * parsing at start-up. Logs go to standard error so that standard output stays clean for command
 * results and for the JSON-lines sink's {@code path = "-"}.
 *
 * <p>{@code --log-level} applies to Lanthorn's own loggers ({@code io.lanthorn.*} and the plugin
 * loggers, {@code lanthorn.<plugin>}). Libraries inside plugins (Flyway, jOOQ, docker-java) log
 * warnings only, unless the level asks for more detail than INFO. Libraries that log through {@code
 * java.util.logging} are routed here too, so every line has the same format.
 */
public final class LogbackSetup extends ContextAwareBase implements Configurator {
  /** The pattern: time, level, logger (class or plugin name), message. */
  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%logger{0}] %msg%n";

  private static final String PLUGIN_LOGGERS = "lanthorn";

  /** Needed by {@link java.util.ServiceLoader}. */
  public LogbackSetup() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(console);
    // Keeps java.util.logging from formatting records logback would drop anyway.
    LevelChangePropagator propagator = new LevelChangePropagator();
    propagator.setContext(context);
    propagator.setResetJUL(true);
    context.addListener(propagator);
    applyLevel(context, LogLevel.INFO);
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** The name of the logger a plugin gets: printed as the plugin's name. */
  static String pluginLoggerName(String plugin) {
    return PLUGIN_LOGGERS + "." + plugin;
  }

  /** Sets the log level ({@code --log-level}). */
  static void setLevel(LogLevel level) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      applyLevel(context, level);
    }
  }

  private static void applyLevel(LoggerContext context, LogLevel level) {
    Level ours = Level.toLevel(level.name());
    Level libraries =
        ours.isGreaterOrEqual(Level.INFO) && level != LogLevel.ERROR ? Level.WARN : ours;
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(libraries);
    context.getLogger("io.lanthorn").setLevel(ours);
    context.getLogger(PLUGIN_LOGGERS).setLevel(ours);
    // The Kafka client library warns on every reconnect while a broker is away; a plugin that uses
    // it reports an outage once itself.
    context
        .getLogger("org.apache.kafka")
        .setLevel(ours.isGreaterOrEqual(Level.INFO) ? Level.ERROR : ours);
  }

  /** The levels {@code --log-level} accepts. */
  public enum LogLevel {
    /** Failures only. */
    ERROR,
    /** Failures and things to look at. */
    WARN,
    /** The default: start, stop, status lines. */
    INFO,
    /** Details for diagnosing. */
    DEBUG,
    /** Everything. */
    TRACE
  }
}
