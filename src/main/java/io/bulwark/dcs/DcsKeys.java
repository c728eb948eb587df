package io.bulwark.dcs;

import java.util.Set;

/** Patroni's key names under {@code /<namespace>/<scope>/} (reference §1.1); repeated slashes collapse. */
public record DcsKeys(String namespace, String scope) {

    public String prefix() {
        return ("/" + namespace + "/" + scope + "/").replaceAll("/+", "/");
    }

    public String initialize() {
        return prefix() + "initialize";
    }

    public String config() {
        return prefix() + "config";
    }

    public String leader() {
        return prefix() + "leader";
    }

    public String membersPrefix() {
        return prefix() + "members/";
    }

    public String member(String name) {
        return membersPrefix() + name;
    }

    public String status() {
        return prefix() + "status";
    }

    public String history() {
        return prefix() + "history";
    }

    public String failover() {
        return prefix() + "failover";
    }

    public String sync() {
        return prefix() + "sync";
    }

    public String failsafe() {
        return prefix() + "failsafe";
    }

    public String optimeLeader() {
        return prefix() + "optime/leader";
    }

    /**
     * The keys whose change by another member wakes the HA loop at once instead of at its next tick: cluster-wide
     * state. Member keys change every cycle and never wake it.
     */
    public Set<String> wakingKeys() {
        return Set.of(leader(), config(), status(), failover(), sync(), initialize(), optimeLeader());
    }
}
