package io.bulwark.ha;

/** The outcome of one {@link HaDecider#decide}: one action and the sentence the cycle ends in. */
public record Decision(Action action, String reason) {
}
