package org.ironbridge.rest.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.engine.ConsoleLogin;
import org.ironbridge.engine.ConsoleService;
import org.ironbridge.engine.ConsoleSession;
import org.ironbridge.engine.ConsoleUser;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.Tokens;

/**
 * An in-memory {@link ConsoleService} that behaves like the engine's: the admin keys of {@link
 * Fakes}, users with passwords (kept in clear here: a fake), sessions by token, and a throttle of
 * {@link #MAX_FAILURES} failed logins per email or client address.
 */
final class FakeConsoleService implements ConsoleService {
    static final int MAX_FAILURES = 10;
    static final Duration RETRY_AFTER = Duration.ofSeconds(600);
    static final String INVALID = "The credentials are not valid, or the account cannot log in.";

    record User(ConsoleUser user, String password) {}

    final Map<String, User> users = new LinkedHashMap<>();
    final Map<String, ConsoleSession> sessions = new HashMap<>();
    final Map<String, Integer> failures = new HashMap<>();
    final List<String> addresses = new ArrayList<>();
    private int ids;

    @Override
    public ConsoleLogin logInWithAdminKey(String adminKey, String clientAddress)
            throws EngineException {
        addresses.add(clientAddress);
        throttle("ip:" + clientAddress);
        String org = Map.of(Fakes.KEY_A, Fakes.ORG_A, Fakes.KEY_B, Fakes.ORG_B).get(adminKey);
        if (org == null) {
            fail("ip:" + clientAddress);
        }
        return open(org, null);
    }

    @Override
    public ConsoleLogin logInWithPassword(
            String email, String password, String organizationId, String clientAddress)
            throws EngineException {
        addresses.add(clientAddress);
        String normalized = email.trim().toLowerCase(java.util.Locale.ROOT);
        throttle("email:" + normalized);
        throttle("ip:" + clientAddress);
        for (User u : users.values()) {
            if (u.user().email().equals(normalized)
                    && u.password().equals(password)
                    && (organizationId == null
                            || organizationId.equals(u.user().organizationId()))) {
                failures.remove("email:" + normalized);
                return open(u.user().organizationId(), u.user());
            }
        }
        failures.merge("ip:" + clientAddress, 1, Integer::sum);
        fail("email:" + normalized);
        return null;
    }

    private void throttle(String subject) throws EngineException {
        if (failures.getOrDefault(subject, 0) >= MAX_FAILURES) {
            throw new EngineException(
                    Code.RATE_LIMITED,
                    "Too many failed logins; try again in 600 seconds.",
                    List.of(),
                    RETRY_AFTER);
        }
    }

    private void fail(String subject) throws EngineException {
        failures.merge(subject, 1, Integer::sum);
        throw new EngineException(Code.TOKEN_INVALID, INVALID);
    }

    private ConsoleLogin open(String org, ConsoleUser user) {
        String token = Tokens.newToken(Tokens.CONSOLE_SESSION);
        ConsoleSession s =
                new ConsoleSession(
                        org,
                        user,
                        Tokens.random(32),
                        Fakes.T0,
                        Fakes.T0.plus(Duration.ofHours(12)));
        sessions.put(token, s);
        return new ConsoleLogin(token, s);
    }

    /** Ends a session as its idle timeout would. */
    void expire(String token) {
        sessions.remove(token);
    }

    @Override
    public Optional<ConsoleSession> session(String token) {
        return Optional.ofNullable(sessions.get(token));
    }

    @Override
    public boolean logOut(String token) {
        return sessions.remove(token) != null;
    }

    @Override
    public ConsoleUser createUser(String organizationId, String email, String password)
            throws EngineException {
        List<FieldError> errors = new ArrayList<>();
        if (email == null || !email.contains("@")) {
            errors.add(new FieldError("email", email == null ? "is required" : "must be an email"));
        }
        if (password == null) {
            errors.add(new FieldError("password", "is required"));
        } else if (password.codePointCount(0, password.length()) < 12) {
            errors.add(new FieldError("password", "must be at least 12 characters long"));
        }
        if (!errors.isEmpty()) {
            throw EngineException.invalid("The console user is invalid", errors);
        }
        String normalized = email.trim().toLowerCase(java.util.Locale.ROOT);
        for (User u : users.values()) {
            if (u.user().organizationId().equals(organizationId)
                    && u.user().email().equals(normalized)) {
                throw new EngineException(
                        Code.CONFLICT,
                        "The organization has a console user with this email already.");
            }
        }
        ConsoleUser user =
                new ConsoleUser(
                        "user_" + (++ids),
                        organizationId,
                        normalized,
                        Instant.parse("2026-11-22T10:15:30Z"));
        users.put(user.id(), new User(user, password));
        return user;
    }

    @Override
    public List<ConsoleUser> users(String organizationId) {
        return users.values().stream()
                .map(User::user)
                .filter(u -> u.organizationId().equals(organizationId))
                .toList();
    }

    @Override
    public void deleteUser(String organizationId, String userId) throws EngineException {
        User u = users.get(userId);
        if (u == null || !u.user().organizationId().equals(organizationId)) {
            throw EngineException.notFound("There is no console user " + userId + ".");
        }
        users.remove(userId);
        sessions.values().removeIf(s -> s.user() != null && s.user().id().equals(userId));
    }
}
