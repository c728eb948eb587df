package io.bulwark.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.Credentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hung local server (here a loopback listener that accepts and never answers, as a SIGSTOPped postmaster's
 * kernel does) must not hold the HA loop past its lease: the local connection's waits derive from ttl.
 */
class HungServerProbeTest {
    private ServerSocket listener;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws IOException {
        for (Socket s : accepted) {
            s.close();
        }
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void timeoutsFollowTheLease() {
        assertThat(LocalConnection.timeoutFor(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(LocalConnection.timeoutFor(2)).as("at least 1 s").isEqualTo(Duration.ofSeconds(1));
        assertThat(LocalConnection.timeoutFor(20)).isEqualTo(Duration.ofSeconds(5));
        assertThat(LocalConnection.timeoutFor(30)).isEqualTo(Duration.ofMillis(7500));
        assertThat(LocalConnection.timeoutFor(120)).as("at most 10 s").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aProbeOfAServerThatNeverAnswersGivesUpWithinTheLease() throws Exception {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    accepted.add(listener.accept());
                }
            } catch (IOException e) {
                // closed by tearDown
            }
        });
        int ttl = 4;
        LocalConnection connection = new LocalConnection("127.0.0.1", listener.getLocalPort(),
                new Credentials("postgres", "secret"), ttl);
        Probe probe = new Probe(connection);
        CompletableFuture<Throwable> attempt = CompletableFuture.supplyAsync(() -> {
            try {
                probe.sample();
                return null;
            } catch (SQLException e) {
                return e;
            }
        });
        // the old fixed timeouts (3 s connect, 6 s login, 10 s per read) let this wait far longer than the lease
        Throwable failure = attempt.get(ttl, TimeUnit.SECONDS);
        assertThat(failure).as("the probe fails instead of hanging").isInstanceOf(SQLException.class);
        assertThat(accepted).as("it did reach the hung listener").isNotEmpty();
        assertThat(connection.callBound()).isLessThan(Duration.ofSeconds(ttl));
    }
}
