package io.lanthorn.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logback's configuration, in code: one console appender on standard error with a concise pattern.
 *
 * <p>Found by logback through {@code META-INF/services}; configuring in code skips logback's XML
 * parsing at start-up. Logs go to standard error so that standard output stays clean for command
 * results and for the JSON-lines sink's {@code path = "-"}.
 */
public final class LogbackSetup extends ContextAwareBase implements Configurator {
  /** The pattern: time, level, logger (class or plugin name), message. */
  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%logger{0}] %msg%n";

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
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Sets the root log level ({@code --log-level}). */
  static void setLevel(LogLevel level) {
    if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)
        instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(Level.toLevel(level.name()));
    }
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
