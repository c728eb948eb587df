package io.bulwark;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StderrLogConfiguratorTest {

    @Test
    void warningsOnlyToStandardErrorInPatronisLineFormat() {
        LoggerContext ctx = new LoggerContext();
        StderrLogConfigurator configurator = new StderrLogConfigurator();
        configurator.setContext(ctx);
        assertThat(configurator.configure(ctx)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        ConsoleAppender<?> appender = (ConsoleAppender<?>) root.getAppender("ERR");
        assertThat(appender.getTarget()).isEqualTo("System.err");
        assertThat(appender.isStarted()).isTrue();
        assertThat(((PatternLayoutEncoder) appender.getEncoder()).getPattern())
                .isEqualTo("%d{\"yyyy-MM-dd HH:mm:ss,SSS\"} %level: %msg%n");
    }

    @Test
    void logbackFindsItWithoutAnXmlConfiguration() throws Exception {
        assertThat(getClass().getClassLoader().getResource("logback.xml")).isNull();
        LoggerContext ctx = new LoggerContext();
        new ContextInitializer(ctx).autoConfig();
        assertThat(ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ERR")).isNotNull();
    }
}
