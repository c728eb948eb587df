package io.bulwark.postgres;

/** {@code pg_ctl stop -m} modes. FAST is escalated to IMMEDIATE when it does not finish in time. */
public enum StopMode {
    SMART("smart"), FAST("fast"), IMMEDIATE("immediate");

    private final String pgCtlName;

    StopMode(String pgCtlName) {
        this.pgCtlName = pgCtlName;
    }

    String pgCtlName() {
        return pgCtlName;
    }
}
