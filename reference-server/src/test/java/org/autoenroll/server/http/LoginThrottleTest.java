package org.autoenroll.server.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    /** A clock the test moves. */
    private static final class Moving extends Clock {
        Instant now = Instant.parse("2026-12-02T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void check_fiveFailuresInTheWindow_refusedUntilTheOldestLeaves() throws Exception {
        Moving clock = new Moving();
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            throttle.check("EXAMPLE\\Alice");
            throttle.failed(i % 2 == 0 ? "alice" : "alice@example.com");
            clock.now = clock.now.plusSeconds(60);
        }
        assertEquals(ErrorCode.AUTHENTICATION_ERROR, assertThrows(EnrollmentException.class, () -> throttle.check("ALICE")).code());
        assertDoesNotThrow(() -> throttle.check("bob"));
        clock.now = Instant.parse("2026-12-02T12:00:00Z").plus(LoginThrottle.WINDOW).plusSeconds(1);
        assertDoesNotThrow(() -> throttle.check("alice"));
    }

    @Test
    void succeeded_clearsTheFailures() throws Exception {
        LoginThrottle throttle = new LoginThrottle(new Moving());
        for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
            throttle.failed("carol");
        }
        throttle.succeeded("carol");
        throttle.failed("carol");
        assertDoesNotThrow(() -> throttle.check("carol"));
        assertEquals(Duration.ofMinutes(15), LoginThrottle.WINDOW);
    }
}
