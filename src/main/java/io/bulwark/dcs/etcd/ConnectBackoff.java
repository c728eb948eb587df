package io.bulwark.dcs.etcd;

import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Keeps the etcd client's reconnect attempts at the HA loop's pace. gRPC backs off between connection attempts
 * up to 2 minutes, so after a long etcd outage the agents would notice etcd's return only at their next attempt:
 * measured here 11-12 s late after a 60 s outage (bench/etcd-outage), longer after longer outages. Each time a
 * call finds etcd unreachable, at most once a second, this calls gRPC's public
 * {@link ManagedChannel#resetConnectBackoff()}, so the next call connects at once.
 *
 * <p>jetcd does not expose its channel: it is read by reflection from {@code ClientImpl.connectionManager}
 * ({@code getChannel()}), checked against the pinned jetcd by {@code ConnectBackoffTest}. If a jetcd upgrade
 * moves it, this logs one warning and does nothing (reconnects are then only slower).
 */
final class ConnectBackoff {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectBackoff.class);
    private static final long MIN_INTERVAL_NANOS = 1_000_000_000L;

    private final ManagedChannel channel;
    private long lastReset = System.nanoTime() - MIN_INTERVAL_NANOS;

    private ConnectBackoff(ManagedChannel channel) {
        this.channel = channel;
    }

    static ConnectBackoff of(Client client) {
        return new ConnectBackoff(channelOf(client));
    }

    /** True if the channel was found (so {@link #reset()} has an effect). */
    boolean effective() {
        return channel != null;
    }

    /** Ends the current backoff (at most once a second); safe to call from any thread. */
    synchronized void reset() {
        long now = System.nanoTime();
        if (channel == null || now - lastReset < MIN_INTERVAL_NANOS) {
            return;
        }
        lastReset = now;
        channel.resetConnectBackoff();
    }

    private static ManagedChannel channelOf(Client client) {
        try {
            Field f = client.getClass().getDeclaredField("connectionManager");
            f.setAccessible(true);
            Object manager = f.get(client);
            Method get = manager.getClass().getDeclaredMethod("getChannel");
            get.setAccessible(true);
            return (ManagedChannel) get.invoke(manager);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("cannot reach the etcd client's gRPC channel ({}); after a long etcd outage reconnecting may"
                    + " take up to gRPC's 2 minute backoff", e.toString());
            return null;
        }
    }
}
