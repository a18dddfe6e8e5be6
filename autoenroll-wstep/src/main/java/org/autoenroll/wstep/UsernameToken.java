package org.autoenroll.wstep;

import java.util.Arrays;
import java.util.Optional;
import org.autoenroll.wstep.soap.MalformedSoapException;
import org.autoenroll.wstep.soap.Namespaces;
import org.autoenroll.wstep.soap.SoapElement;
import org.autoenroll.wstep.soap.SoapEnvelope;

/**
 * A WS-Security UsernameToken (OASIS Username Token Profile 1.0) from a message's
 * {@code wsse:Security} header, as Windows sends it to a {@code _UsernamePassword} endpoint: the
 * user name and a PasswordText password (over TLS). PasswordDigest is refused: checking it would
 * need the clear password on the server, and AD checks passwords by bind only. The password is a
 * {@code char[]} the caller clears after use; it is never in {@link #toString()}. Not thread-safe.
 */
public final class UsernameToken implements AutoCloseable {
    static final String PASSWORD_TEXT =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";
    private static final int MAX_USER_CHARS = 256;
    private static final int MAX_PASSWORD_CHARS = 1024;

    private final String user;
    private final char[] password;

    private UsernameToken(String user, char[] password) {
        this.user = user;
        this.password = password;
    }

    /** The token of the message's Security header, if it has one. */
    public static Optional<UsernameToken> read(SoapEnvelope envelope) throws MalformedSoapException {
        Optional<SoapElement> token = envelope.header(Namespaces.WSSE, "Security")
                .flatMap(security -> security.child(Namespaces.WSSE, "UsernameToken"));
        if (token.isEmpty()) {
            return Optional.empty();
        }
        String user = token.get().childText(Namespaces.WSSE, "Username")
                .orElseThrow(() -> new MalformedSoapException("the UsernameToken has no Username"));
        if (user.isEmpty() || user.length() > MAX_USER_CHARS || user.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new MalformedSoapException("the UsernameToken's Username is empty, too long or has control characters");
        }
        SoapElement password = token.get().child(Namespaces.WSSE, "Password")
                .orElseThrow(() -> new MalformedSoapException("the UsernameToken has no Password"));
        String type = password.attribute("Type").map(String::strip).orElse(PASSWORD_TEXT);
        if (!type.equals(PASSWORD_TEXT)) {
            throw new MalformedSoapException("only PasswordText passwords are accepted (over TLS)");
        }
        String text = password.text();
        if (text.length() > MAX_PASSWORD_CHARS) {
            throw new MalformedSoapException("the password is longer than " + MAX_PASSWORD_CHARS + " characters");
        }
        return Optional.of(new UsernameToken(user, text.toCharArray()));
    }

    /** The user name as sent: {@code alice}, {@code EXAMPLE\alice} or {@code alice@example.com}. */
    public String user() {
        return user;
    }

    /** The password itself (not a copy): clear it with {@link #close()}. */
    public char[] password() {
        return password;
    }

    /** Overwrites the password. */
    @Override
    public void close() {
        Arrays.fill(password, '\0');
    }

    @Override
    public String toString() {
        return "UsernameToken(" + user + ", password hidden)";
    }
}
