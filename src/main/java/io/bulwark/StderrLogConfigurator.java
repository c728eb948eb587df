package io.bulwark;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration before the agent applies its own log settings ({@link LogSetup}), and for bulwarkctl:
 * warnings only, on standard error. Found by logback through {@code META-INF/services}; set up in code because
 * the same thing from a {@code logback.xml} costs logback's XML configurator and the JDK's XML parser, some 400
 * classes (2-3 MB) kept for the life of the agent. A {@code logback.configurationFile} system property or a
 * {@code logback-test.xml}/{@code logback.xml} on the class path still wins: logback then configures from it.
 */
public final class StderrLogConfigurator extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{\"yyyy-MM-dd HH:mm:ss,SSS\"} %level: %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        ClassLoader loader = StderrLogConfigurator.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") != null || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(ctx);
        appender.setName("ERR");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(appender);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
