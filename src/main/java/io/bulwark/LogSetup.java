package io.bulwark;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.bulwark.config.LogConfig;
import org.slf4j.LoggerFactory;

/**
 * Logging to standard error in Patroni's line format ({@code 2026-01-01 12:00:00,123 INFO: <sentence>}) or as
 * JSON lines. Library chatter (gRPC, Netty, Vert.x) is kept at WARN.
 */
final class LogSetup {
    private LogSetup() {
    }

    static void apply(LogConfig config) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        Encoder<ILoggingEvent> encoder;
        if (config.json()) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(ctx);
            json.start();
            encoder = json;
        } else {
            PatternLayoutEncoder pattern = new PatternLayoutEncoder();
            pattern.setContext(ctx);
            pattern.setPattern("%d{\"yyyy-MM-dd HH:mm:ss,SSS\"} %level: %msg%n%ex{short}");
            pattern.start();
            encoder = pattern;
        }
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(ctx);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(config.level(), Level.INFO));
        root.addAppender(appender);
        for (String noisy : new String[]{"io.grpc", "io.netty", "io.vertx", "io.etcd"}) {
            ctx.getLogger(noisy).setLevel(Level.WARN);
        }
    }
}
