package io.bulwark.dcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every decoder takes random bytes and mutations of valid Patroni values without an exception escaping: a running
 * primary must never fall over because of what another tool wrote into etcd. Seeded, so a failure reproduces.
 */
class CodecFuzzTest {
    private static final DcsKeys KEYS = new DcsKeys("/service", "demo");
    private static final String P = "/service/demo/";
    private static final List<String> VALID = List.of(
            "{\"conn_url\":\"postgres://10.0.0.2:5432/postgres\",\"api_url\":\"http://10.0.0.2:8008/patroni\","
                    + "\"state\":\"running\",\"role\":\"replica\",\"tags\":{\"nofailover\":false},\"xlog_location\":67109016,"
                    + "\"timeline\":2,\"replay_lsn\":1,\"receive_lsn\":2}",
            "{\"optime\":67109016,\"slots\":{\"node2\":67109016},\"retain_slots\":[\"node2\"]}",
            "{\"leader\":\"node1\",\"member\":\"node2\",\"scheduled_at\":\"2026-12-05T10:00:00+00:00\"}",
            "[[1,100,\"no recovery target specified\",\"2026-12-05T10:00:00+00:00\",\"node1\"]]",
            "{\"leader\":\"node1\",\"quorum\":1,\"sync_standby\":\"node2\"}",
            "{\"ttl\":30,\"loop_wait\":10,\"postgresql\":{\"parameters\":{\"max_connections\":100}}}",
            "postgres://u:p@h:5432/postgres?application_name=http://h:8008/patroni",
            "node1:node2",
            "4242");
    private static final String ALPHABET = "{}[]\":,0123456789.-+eEtruefalsn \\/ \u00e9\u0000\uffff";

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(20261205L);
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            decodeEverything(new String(bytes, StandardCharsets.UTF_8), i);
        }
    }

    @Test
    void mutationsOfValidValuesNeverThrow() {
        Random random = new Random(42L);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder v = new StringBuilder(VALID.get(random.nextInt(VALID.size())));
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && !v.isEmpty(); e++) {
                int at = random.nextInt(v.length());
                switch (random.nextInt(4)) {
                    case 0 -> v.deleteCharAt(at);
                    case 1 -> v.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    case 2 -> v.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    default -> v.setLength(at);
                }
            }
            decodeEverything(v.toString(), i);
        }
    }

    /** Also through a remembering decoder, alternating with a clean value, so the kept-value path runs too. */
    private static final ClusterDecoder REMEMBERING = new ClusterDecoder(KEYS);

    private static void decodeEverything(String value, int round) {
        DcsCodec.decodeMember(value);
        DcsCodec.decodeStatus(value);
        DcsCodec.decodeFailover(round, value);
        DcsCodec.decodeHistory(value);
        DcsCodec.decodeSyncState(round, value);
        DcsCodec.decodeConfig(round, value);
        List<StoredValue> keys = new ArrayList<>();
        for (String key : List.of("config", "leader", "members/node1", "status", "optime/leader", "failover",
                "history", "sync", "initialize")) {
            keys.add(new StoredValue(P + key, round % 3 == 0 ? VALID.get(round % VALID.size()) : value, round + 1, 0));
        }
        Cluster c = REMEMBERING.decode(keys);
        assertThat(c.members()).hasSize(1);
        assertThat(c.leader()).isNotNull();
    }
}
