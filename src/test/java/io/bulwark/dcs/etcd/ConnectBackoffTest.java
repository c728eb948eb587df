package io.bulwark.dcs.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import org.junit.jupiter.api.Test;

/** The pinned jetcd still keeps its gRPC channel where {@link ConnectBackoff} looks for it. */
class ConnectBackoffTest {
    @Test
    void findsTheChannelOfARealJetcdClient() {
        try (Client client = Client.builder().endpoints("http://127.0.0.1:1").build()) {
            ConnectBackoff backoff = ConnectBackoff.of(client);
            assertThat(backoff.effective()).as("jetcd's ManagedChannel found by reflection").isTrue();
            backoff.reset();
            backoff.reset(); // rate-limited, and harmless on an idle channel
        }
    }
}
