package org.ironbridge.store;

/** A database operation failed; the message says which, the cause says why. Unchecked. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
