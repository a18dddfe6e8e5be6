package org.autoenroll.wstep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autoenroll.wstep.soap.MalformedSoapException;
import org.autoenroll.wstep.soap.SoapReader;
import org.autoenroll.wstep.testkit.SoapRequests;
import org.autoenroll.wstep.testkit.SoapRequests.Style;
import org.junit.jupiter.api.Test;

class UsernameTokenTest {
    private static final SoapReader READER = new SoapReader();

    private static byte[] message(String security) {
        return SoapRequests.requestSecurityToken(Style.WINDOWS, "urn:uuid:1", "https://h/CES", RstRequest.Type.ISSUE,
                RstRequest.PKCS10, new byte[] {1}, null, security);
    }

    @Test
    void read_windowsUsernameToken_userAndPassword_passwordHiddenAndCleared() throws Exception {
        UsernameToken token = UsernameToken.read(READER.readEnvelope(message(
                SoapRequests.usernameToken("EXAMPLE\\alice", "p<&>w", "2026-01-01T00:00:00Z")))).orElseThrow();
        assertEquals("EXAMPLE\\alice", token.user());
        assertArrayEquals("p<&>w".toCharArray(), token.password());
        assertFalse(token.toString().contains("p<&>w"));
        char[] password = token.password();
        token.close();
        assertArrayEquals(new char[5], password);
    }

    @Test
    void read_noSecurityHeader_empty() throws Exception {
        assertTrue(UsernameToken.read(READER.readEnvelope(message(null))).isEmpty());
    }

    @Test
    void read_passwordDigest_refused() {
        String digest = SoapRequests.usernameToken("alice", "x", "2026-01-01T00:00:00Z")
                .replace("#PasswordText", "#PasswordDigest");
        assertThrows(MalformedSoapException.class, () -> UsernameToken.read(READER.readEnvelope(message(digest))));
    }

    @Test
    void read_controlCharacterInUser_refused() {
        // DEL is a legal XML character, but no account name holds it
        String bad = SoapRequests.usernameToken("ali\u007fce", "x", "2026-01-01T00:00:00Z");
        assertThrows(MalformedSoapException.class, () -> UsernameToken.read(READER.readEnvelope(message(bad))));
    }
}
