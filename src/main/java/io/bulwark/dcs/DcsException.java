package io.bulwark.dcs;

/** The store could not be reached or did not answer within the allowed time. Nothing is known. */
public class DcsException extends Exception {
    public DcsException(String message) {
        super(message);
    }

    public DcsException(String message, Throwable cause) {
        super(message, cause);
    }
}
