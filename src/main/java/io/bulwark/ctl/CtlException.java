package io.bulwark.ctl;

/** A command failed for a reason the user can act on; printed as {@code Error: <message>}, exit code 1. */
class CtlException extends RuntimeException {
    CtlException(String message) {
        super(message);
    }

    CtlException(String message, Throwable cause) {
        super(message, cause);
    }
}
