package org.ironbridge.engine.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.engine.ConsoleLogin;
import org.ironbridge.engine.ConsoleService;
import org.ironbridge.engine.ConsoleSession;
import org.ironbridge.engine.ConsoleUser;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.Tokens;
import org.ironbridge.store.ConsoleRepository;
import org.ironbridge.store.ConsoleRepository.Failures;
import org.ironbridge.store.ConsoleRepository.SessionRow;
import org.ironbridge.store.ConsoleRepository.UserRow;

/**
 * The {@link ConsoleService}: console users with {@link PasswordHasher} hashes, sessions stored by
 * the SHA-256 of their token, and throttling of failed logins through the database (so that every
 * node of a cluster counts the same failures).
 *
 * <p>Timing: a login with an unknown email verifies the password against a dummy hash, so it costs
 * one PBKDF2 derivation like a wrong password. Derivations are CPU-bound; at most one per core runs
 * at a time, so a burst of logins queues instead of starving the API.
 */
final class ConsoleManager implements ConsoleService {
    /** A session's last use is written at most this often (not on every request). */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    static final int MIN_PASSWORD_LENGTH = 12;
    static final int MAX_PASSWORD_LENGTH = 1024;
    static final int MAX_EMAIL_LENGTH = 254;
    private static final Pattern EMAIL = Pattern.compile("[^\\s@]+@[^\\s@]+");
    private static final String INVALID_CREDENTIALS =
            "The credentials are not valid, or the account cannot log in.";

    /**
     * How sessions and logins behave.
     *
     * @param idleTimeout a session ends this long after its last use
     * @param absoluteLifetime and this long after it was opened, however much it is used
     * @param passwordIterations PBKDF2 iterations of new password hashes
     * @param maxFailures failed logins per email or client address within the window before logins
     *     from there are refused
     * @param failureWindow the window failed logins are counted in
     */
    record Settings(
            Duration idleTimeout,
            Duration absoluteLifetime,
            int passwordIterations,
            int maxFailures,
            Duration failureWindow) {
        static Settings defaults() {
            return new Settings(
                    Duration.ofHours(12),
                    Duration.ofDays(7),
                    PasswordHasher.DEFAULT_ITERATIONS,
                    10,
                    Duration.ofMinutes(15));
        }
    }

    private final ConsoleRepository repo;
    private final Clock clock;
    private final Semaphore hashing =
            new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()), true);
    private volatile Settings settings;
    private volatile PasswordHasher hasher;

    ConsoleManager(DataSource ds, Clock clock, Settings settings) {
        this.repo = new ConsoleRepository(ds);
        this.clock = clock;
        configure(settings);
    }

    /** Changes the settings (from the framework properties at start, or in tests). */
    void configure(Settings s) {
        if (s.idleTimeout().isNegative()
                || s.idleTimeout().isZero()
                || s.absoluteLifetime().isNegative()
                || s.absoluteLifetime().isZero()
                || s.maxFailures() < 1
                || s.failureWindow().isNegative()
                || s.failureWindow().isZero()) {
            throw new IllegalArgumentException("invalid console settings: " + s);
        }
        this.hasher = new PasswordHasher(s.passwordIterations());
        this.settings = s;
    }

    Settings settings() {
        return settings;
    }

    PasswordHasher hasher() {
        return hasher;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    // ------------------------------------------------------------------------------ logins

    @Override
    public ConsoleLogin logInWithAdminKey(String adminKey, String clientAddress)
            throws EngineException {
        List<String> subjects = new ArrayList<>();
        if (clientAddress != null && !clientAddress.isBlank()) {
            subjects.add(subject("ip", clientAddress));
        }
        throttle(subjects);
        Optional<ConsoleRepository.AdminKey> key =
                Tokens.looksLike(adminKey, Tokens.ADMIN_KEY)
                        ? repo.adminKey(Tokens.hash(adminKey))
                        : Optional.empty();
        if (key.isEmpty()) {
            fail(subjects);
        }
        return open(key.get().organizationId(), null, key.get().id());
    }

    @Override
    public ConsoleLogin logInWithPassword(
            String email, String password, String organizationId, String clientAddress)
            throws EngineException {
        String normalized = normalizeEmail(email);
        List<String> subjects = new ArrayList<>();
        String emailSubject = subject("email", normalized);
        subjects.add(emailSubject);
        if (clientAddress != null && !clientAddress.isBlank()) {
            subjects.add(subject("ip", clientAddress));
        }
        throttle(subjects);
        String pw = password == null ? "" : password;
        List<UserRow> candidates =
                validEmail(normalized) && pw.length() <= MAX_PASSWORD_LENGTH
                        ? repo.usersByEmail(normalized, blankToNull(organizationId))
                        : List.of();
        PasswordHasher h = hasher;
        UserRow match =
                withHashing(
                        () -> {
                            if (candidates.isEmpty()) {
                                h.burn(pw.length() <= MAX_PASSWORD_LENGTH ? pw : "");
                                return null;
                            }
                            for (UserRow u : candidates) {
                                if (h.verify(pw, u.passwordHash())) {
                                    return u;
                                }
                            }
                            return null;
                        });
        if (match == null) {
            fail(subjects);
        }
        repo.clearFailures(emailSubject);
        if (h.needsRehash(match.passwordHash())) {
            // the cost was raised since this hash was made: store one at today's cost
            repo.updatePasswordHash(match.id(), withHashing(() -> h.hash(pw)));
        }
        return open(match.organizationId(), user(match), null);
    }

    /** Refuses the login when one of the subjects failed too often within the window. */
    private void throttle(List<String> subjects) throws EngineException {
        Settings s = settings;
        Instant now = now();
        for (String subject : subjects) {
            Failures f = repo.failuresSince(subject, now.minus(s.failureWindow()));
            if (f.count() >= s.maxFailures()) {
                Duration wait = Duration.between(now, f.oldest().plus(s.failureWindow()));
                long seconds = Math.max(1, wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0));
                throw new EngineException(
                        Code.RATE_LIMITED,
                        "Too many failed logins; try again in " + seconds + " seconds.",
                        List.of(),
                        Duration.ofSeconds(seconds));
            }
        }
    }

    /** Counts a failed login against the subjects and answers it. */
    private void fail(List<String> subjects) throws EngineException {
        if (!subjects.isEmpty()) {
            repo.recordFailure(subjects, now());
        }
        throw new EngineException(Code.TOKEN_INVALID, INVALID_CREDENTIALS);
    }

    private ConsoleLogin open(String organizationId, ConsoleUser user, String adminKeyId) {
        Settings s = settings;
        String token = Tokens.newToken(Tokens.CONSOLE_SESSION);
        String csrf = Tokens.random(32);
        Instant now = now();
        Instant expires = min(now.plus(s.idleTimeout()), now.plus(s.absoluteLifetime()));
        repo.createSession(
                new SessionRow(
                        Tokens.hash(token),
                        organizationId,
                        user == null ? null : user.id(),
                        null,
                        null,
                        adminKeyId,
                        csrf,
                        now,
                        now,
                        expires));
        return new ConsoleLogin(
                token, new ConsoleSession(organizationId, user, csrf, now, expires));
    }

    // ------------------------------------------------------------------------------ sessions

    @Override
    public Optional<ConsoleSession> session(String token) {
        if (!Tokens.looksLike(token, Tokens.CONSOLE_SESSION)) {
            return Optional.empty();
        }
        Settings s = settings;
        Instant now = now();
        String hash = Tokens.hash(token);
        Optional<SessionRow> found = repo.findSession(hash, now);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SessionRow row = found.get();
        Instant absoluteEnd = row.createdAt().plus(s.absoluteLifetime());
        if (!now.isBefore(absoluteEnd)) {
            return Optional.empty(); // the lifetime was shortened since the session was opened
        }
        Instant expires = row.expiresAt();
        if (Duration.between(row.lastSeenAt(), now).compareTo(TOUCH_INTERVAL) >= 0) {
            expires = min(now.plus(s.idleTimeout()), absoluteEnd);
            repo.touchSession(hash, now, expires);
        }
        ConsoleUser user =
                row.userId() == null
                        ? null
                        : new ConsoleUser(
                                row.userId(),
                                row.organizationId(),
                                row.userEmail(),
                                row.userCreatedAt());
        return Optional.of(
                new ConsoleSession(
                        row.organizationId(), user, row.csrfToken(), row.createdAt(), expires));
    }

    @Override
    public boolean logOut(String token) {
        return Tokens.looksLike(token, Tokens.CONSOLE_SESSION)
                && repo.deleteSession(Tokens.hash(token));
    }

    /**
     * Deletes expired sessions and failed logins older than the window (housekeeping).
     *
     * @return how many sessions were deleted
     */
    int purgeExpired() {
        Instant now = now();
        repo.purgeFailuresBefore(now.minus(settings.failureWindow()));
        return repo.purgeSessionsExpiredAt(now);
    }

    // ------------------------------------------------------------------------------ users

    @Override
    public ConsoleUser createUser(String organizationId, String email, String password)
            throws EngineException {
        List<FieldError> errors = new ArrayList<>();
        String normalized = normalizeEmail(email);
        if (normalized.isEmpty()) {
            errors.add(new FieldError("email", "is required"));
        } else if (!validEmail(normalized)) {
            errors.add(new FieldError("email", "must be an email address"));
        }
        if (password == null || password.isEmpty()) {
            errors.add(new FieldError("password", "is required"));
        } else {
            int length = password.codePointCount(0, password.length());
            if (length < MIN_PASSWORD_LENGTH) {
                errors.add(
                        new FieldError(
                                "password",
                                "must be at least " + MIN_PASSWORD_LENGTH + " characters long"));
            } else if (length > MAX_PASSWORD_LENGTH) {
                errors.add(
                        new FieldError(
                                "password",
                                "must be at most " + MAX_PASSWORD_LENGTH + " characters long"));
            }
        }
        if (!errors.isEmpty()) {
            throw EngineException.invalid("The console user is invalid", errors);
        }
        PasswordHasher h = hasher;
        String hash = withHashing(() -> h.hash(password));
        UserRow row = new UserRow(Tokens.newId("user"), organizationId, normalized, hash, now());
        if (!repo.createUser(row)) {
            throw new EngineException(
                    Code.CONFLICT, "The organization has a console user with this email already.");
        }
        return user(row);
    }

    @Override
    public List<ConsoleUser> users(String organizationId) {
        return repo.users(organizationId).stream().map(ConsoleManager::user).toList();
    }

    @Override
    public void deleteUser(String organizationId, String userId) throws EngineException {
        if (userId == null || !repo.deleteUser(organizationId, userId)) {
            throw EngineException.notFound("There is no console user " + userId + ".");
        }
    }

    // ------------------------------------------------------------------------------ helpers

    private static ConsoleUser user(UserRow r) {
        return new ConsoleUser(r.id(), r.organizationId(), r.email(), r.createdAt());
    }

    /** Emails are compared trimmed and lower-cased. */
    static String normalizeEmail(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }

    private static boolean validEmail(String normalized) {
        return normalized.length() <= MAX_EMAIL_LENGTH && EMAIL.matcher(normalized).matches();
    }

    /** What failures are counted against: never the email or address itself, only its hash. */
    private static String subject(String kind, String value) {
        return Tokens.hash(kind + ":" + value);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Runs a PBKDF2 computation with one of the per-core permits. */
    private <T> T withHashing(Supplier<T> work) throws EngineException {
        boolean acquired;
        try {
            acquired = hashing.tryAcquire(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new EngineException(
                    Code.RATE_LIMITED,
                    "Too many logins at once; try again shortly.",
                    List.of(),
                    Duration.ofSeconds(5));
        }
        try {
            return work.get();
        } finally {
            hashing.release();
        }
    }
}
