package io.bulwark.ctl;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.ClusterStatus;
import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.MemberData;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A read-only Dcs that serves one fixed Cluster and records which targets asked for it. */
final class FixedDcs implements Dcs {
    private final Cluster cluster;
    final List<CtlTarget> opened = new ArrayList<>();
    int closed;

    FixedDcs(Cluster cluster) {
        this.cluster = cluster;
    }

    Dcs open(CtlTarget target) {
        opened.add(target);
        return this;
    }

    @Override
    public Cluster cluster() {
        return cluster;
    }

    @Override
    public boolean attemptToAcquireLeader() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean updateLeader(ClusterStatus status) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void takeLeader() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean deleteLeader(long lastOptime) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void touchMember(MemberData data) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean initialize(String sysid, boolean create) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void cancelInitialization() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean setConfig(String json, Long expectedVersion) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean setFailover(String json, Long expectedVersion) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean setSync(String json, Long expectedVersion) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deleteSync() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setFailsafe(String json) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setHistory(String json) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deleteCluster() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean awaitChange(Duration timeout) {
        return false;
    }

    @Override
    public void wakeUp() {
    }

    @Override
    public void setTtl(int ttlSeconds) {
    }

    @Override
    public void setRetryTimeout(Duration retryTimeout) {
    }

    @Override
    public void close() {
        closed++;
    }
}
