package org.ironbridge.engine;

/**
 * A new console session and its token: the value of the session cookie, given to the browser this
 * once and stored only as a hash.
 */
public record ConsoleLogin(String token, ConsoleSession session) {

    /** Without the token. */
    @Override
    public String toString() {
        return "ConsoleLogin[" + session + "]";
    }
}
