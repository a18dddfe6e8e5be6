package org.autoenroll.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Random;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.TicketValidator;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP layer needs from every {@link TicketValidator}: a real token proves its client,
 * the same token twice is a replay, and nothing else proves anyone: garbage, truncated tokens,
 * NTLM and empty tokens are refused with {@code AUTHENTICATION_ERROR} (37), an empty one with 37
 * or {@code AUTHENTICATION_REQUIRED} (42), and no detail carries token bytes. Extend it with a
 * validator and a source of fresh tokens (from a KDC the test runs).
 *
 * @since 0.1
 */
public abstract class TicketValidatorContract {
    /** The validator under test; called once per test. */
    protected abstract TicketValidator validator() throws Exception;

    /** A fresh, valid Negotiate token for {@link #expectedPrincipal()}, never used before. */
    protected abstract byte[] freshToken() throws Exception;

    /** The principal a fresh token proves, {@code alice@EXAMPLE.COM}. */
    protected abstract String expectedPrincipal();

    private static EnrollmentException refused(TicketValidator validator, byte[] token) {
        return assertThrows(EnrollmentException.class, () -> validator.validate(token));
    }

    @Test
    public void validate_freshToken_provesItsClient() throws Exception {
        assertEquals(expectedPrincipal(), validator().validate(freshToken()).principal());
    }

    @Test
    public void validate_sameTokenTwice_secondIsAReplayRefusedWith37() throws Exception {
        TicketValidator validator = validator();
        byte[] token = freshToken();
        validator.validate(token);
        assertEquals(ErrorCode.AUTHENTICATION_ERROR, refused(validator, token).code());
    }

    @Test
    public void validate_garbage_refusedWith37() throws Exception {
        TicketValidator validator = validator();
        Random random = new Random(42);
        for (int length : new int[] {1, 16, 700, 4000}) {
            byte[] garbage = new byte[length];
            random.nextBytes(garbage);
            assertEquals(ErrorCode.AUTHENTICATION_ERROR, refused(validator, garbage).code(), "garbage of " + length + " bytes");
        }
    }

    @Test
    public void validate_truncatedRealToken_refusedWith37AndNoTokenBytesInTheDetail() throws Exception {
        TicketValidator validator = validator();
        byte[] token = freshToken();
        byte[] truncated = java.util.Arrays.copyOf(token, token.length / 2);
        EnrollmentException e = refused(validator, truncated);
        assertEquals(ErrorCode.AUTHENTICATION_ERROR, e.code());
        String base64 = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(token, 24));
        assertFalse(e.detail().contains(base64), e.detail());
    }

    @Test
    public void validate_ntlmToken_refusedWith37() throws Exception {
        byte[] ntlm = Base64.getDecoder().decode("TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAF1YAAAADw==");
        assertTrue(new String(ntlm, 0, 7, StandardCharsets.US_ASCII).equals("NTLMSSP"));
        assertEquals(ErrorCode.AUTHENTICATION_ERROR, refused(validator(), ntlm).code());
    }

    @Test
    public void validate_emptyToken_refusedWith37Or42() throws Exception {
        ErrorCode code = refused(validator(), new byte[0]).code();
        assertTrue(EnumSet.of(ErrorCode.AUTHENTICATION_ERROR, ErrorCode.AUTHENTICATION_REQUIRED).contains(code), code.toString());
    }
}
