package io.bulwark.ha;

/**
 * What another member said about itself in answer to {@code GET /patroni} during the leader race.
 *
 * @param name        member name
 * @param primary     it runs PostgreSQL out of recovery (role primary)
 * @param walPosition primary: its write position; replica: max(received, replayed) in bytes
 * @param nofailover  it may not be promoted (its answer is then ignored for the race)
 * @param failoverPriority its {@code failover_priority} tag (default 1)
 */
public record PeerView(String name, boolean primary, long walPosition, boolean nofailover, int failoverPriority) {
}
