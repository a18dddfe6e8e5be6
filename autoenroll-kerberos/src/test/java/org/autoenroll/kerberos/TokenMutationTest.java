package org.autoenroll.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Generated damage to a real token: every truncation must be refused with AUTHENTICATION_ERROR;
 * every single-byte change must either be accepted or refused with an EnrollmentException,
 * nothing else escaping.
 */
class TokenMutationTest {
    private static byte[] token;
    private static KerberosAcceptor acceptor;

    private static synchronized byte[] token() {
        if (token == null) {
            token = TestRealm.kdc().negotiateToken(TestRealm.USER, TestRealm.PASSWORD, TestRealm.SERVICE);
            acceptor = KerberosAcceptor.builder().addRealm(TestRealm.realm(), TestRealm.keytab()).build();
        }
        return token;
    }

    static IntStream prefixLengths() {
        return IntStream.range(0, token().length);
    }

    /** Each byte position, changed to its complement and to a few telling values. */
    static Stream<int[]> byteChanges() {
        int length = token().length;
        return IntStream.range(0, length).boxed().flatMap(i -> Stream.of(
                new int[] {i, ~token()[i] & 0xFF}, new int[] {i, 0x00}, new int[] {i, 0xFF}, new int[] {i, 0x80}));
    }

    @ParameterizedTest(name = "prefix of {0} bytes")
    @MethodSource("prefixLengths")
    void validate_truncatedToken_authenticationError(int length) {
        byte[] prefix = Arrays.copyOf(token(), length);
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> acceptor.validate(prefix));
        assertEquals(ErrorCode.AUTHENTICATION_ERROR, e.code());
    }

    @ParameterizedTest(name = "byte {0} set")
    @MethodSource("byteChanges")
    void validate_singleByteChanged_onlyEnrollmentExceptionEscapes(int[] change) {
        byte[] mutated = token().clone();
        mutated[change[0]] = (byte) change[1];
        try {
            acceptor.validate(mutated);
        } catch (EnrollmentException expected) {
            // refused: fine
        }
    }
}
