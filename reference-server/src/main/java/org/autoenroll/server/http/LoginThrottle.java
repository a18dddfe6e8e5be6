package org.autoenroll.server.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/**
 * Limits password attempts per account, before AD is asked: at most {@link #MAX_FAILURES}
 * failures in {@link #WINDOW}; past that, attempts are refused without a bind until the oldest
 * failure leaves the window. AD keeps its own lockout count; this keeps a guesser from using the
 * server to lock accounts out, or from guessing fast. A success clears the account's failures.
 * Bounded ({@link #MAX_ACCOUNTS}, least recently used forgotten). Thread-safe.
 */
final class LoginThrottle {
    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final int MAX_ACCOUNTS = 10_000;

    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > MAX_ACCOUNTS;
        }
    };

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Refuses an attempt for an account that failed too often lately. */
    synchronized void check(String account) throws EnrollmentException {
        Deque<Instant> recent = recent(key(account));
        if (recent != null && recent.size() >= MAX_FAILURES) {
            throw new EnrollmentException(ErrorCode.AUTHENTICATION_ERROR, "too many failed password attempts for this account; "
                    + "try again after " + recent.peekFirst().plus(WINDOW));
        }
    }

    synchronized void failed(String account) {
        String key = key(account);
        Deque<Instant> recent = recent(key);
        if (recent == null) {
            recent = new ArrayDeque<>();
            failures.put(key, recent);
        }
        recent.addLast(clock.instant());
    }

    synchronized void succeeded(String account) {
        failures.remove(key(account));
    }

    private Deque<Instant> recent(String key) {
        Deque<Instant> recent = failures.get(key);
        if (recent != null) {
            Instant horizon = clock.instant().minus(WINDOW);
            while (!recent.isEmpty() && !recent.peekFirst().isAfter(horizon)) {
                recent.removeFirst();
            }
        }
        return recent;
    }

    /** {@code EXAMPLE\Alice}, {@code alice@example.com} and {@code alice} are one account. */
    static String key(String user) {
        String name = user.strip().toLowerCase(Locale.ROOT);
        int backslash = name.lastIndexOf('\\');
        if (backslash >= 0) {
            name = name.substring(backslash + 1);
        }
        int at = name.indexOf('@');
        return at >= 0 ? name.substring(0, at) : name;
    }
}
