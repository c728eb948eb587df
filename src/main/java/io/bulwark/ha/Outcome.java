package io.bulwark.ha;

/**
 * What executing one action produced.
 *
 * @param local     the loop's memory after the action
 * @param reobserve the lock owner or the server role changed: observe and decide again in this cycle
 * @param reason    a sentence replacing the decision's when the action's result changed the story
 *                  ({@code null}: keep the decision's)
 * @param retrySoon a timing-critical step failed (lock renewal): run the next cycle without waiting loop_wait
 */
public record Outcome(LocalState local, boolean reobserve, String reason, boolean retrySoon) {
    static Outcome done(LocalState local) {
        return new Outcome(local, false, null, false);
    }

    static Outcome again(LocalState local) {
        return new Outcome(local, true, null, false);
    }

    static Outcome said(LocalState local, String reason) {
        return new Outcome(local, false, reason, false);
    }
}
