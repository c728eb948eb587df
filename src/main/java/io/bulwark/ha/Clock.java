package io.bulwark.ha;

/** Monotonic time in nanoseconds. Tests move it; production reads {@link System#nanoTime()}. */
@FunctionalInterface
public interface Clock {
    Clock SYSTEM = System::nanoTime;

    long nanoTime();
}
