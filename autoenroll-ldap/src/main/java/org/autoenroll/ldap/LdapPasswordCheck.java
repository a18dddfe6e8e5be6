package org.autoenroll.ldap;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/**
 * Checks a user's password the way AD wants it checked: a simple bind as the user (over the AD
 * server record's LDAPS or StartTLS), so that AD applies its own rules, counts failures and locks
 * the account. The user is first found with the service account (by sAMAccountName or UPN, as the
 * lookup does); the bind then runs on a pooled connection that is re-bound as the service account
 * afterwards. An empty password is refused before AD sees it (a simple bind without a password is
 * an anonymous bind, which succeeds). The password is never logged nor kept. Thread-safe.
 */
public final class LdapPasswordCheck {
    private final LdapDirectoryLookup lookup;

    public LdapPasswordCheck(LdapDirectoryLookup lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /**
     * @param user {@code alice}, {@code DOMAIN\alice} or {@code alice@domain}
     * @return the user's directory entry, once AD accepted the password
     * @throws EnrollmentException {@link ErrorCode#AUTHENTICATION_ERROR} (37) for a wrong, empty or
     *     expired password or a locked account; 17 for an unknown user; 13 when AD cannot be reached
     */
    public DirectoryEntry authenticate(AdServer server, String user, char[] password) throws EnrollmentException {
        Objects.requireNonNull(server, "server");
        if (password == null || password.length == 0) {
            throw new EnrollmentException(ErrorCode.AUTHENTICATION_ERROR, "an empty password is refused");
        }
        String name = accountName(user);
        DirectoryEntry entry = lookup.findUser(server, AuthenticatedPrincipal.of(name, server.windowsDomain().toUpperCase(Locale.ROOT), null));
        byte[] bytes = utf8(password);
        try {
            ResultCode result = lookup.execute(server, "bind as user", pool -> {
                try {
                    return pool.bindAndRevertAuthentication(new SimpleBindRequest(entry.dn(), bytes)).getResultCode();
                } catch (LDAPException e) {
                    if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS
                            || e.getResultCode() == ResultCode.UNWILLING_TO_PERFORM
                            || e.getResultCode() == ResultCode.INAPPROPRIATE_AUTHENTICATION) {
                        return e.getResultCode();
                    }
                    throw e;
                }
            });
            if (result != ResultCode.SUCCESS) {
                throw new EnrollmentException(ErrorCode.AUTHENTICATION_ERROR, "AD refused the user name and password of "
                        + name + " (wrong password, expired, or account locked)");
            }
            return entry;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** {@code DOMAIN\alice} and {@code alice@domain} name the account {@code alice}. */
    static String accountName(String user) throws EnrollmentException {
        String name = user == null ? "" : user.strip();
        int backslash = name.lastIndexOf('\\');
        if (backslash >= 0) {
            name = name.substring(backslash + 1);
        }
        int at = name.indexOf('@');
        if (at >= 0) {
            name = name.substring(0, at);
        }
        if (name.isEmpty()) {
            throw new EnrollmentException(ErrorCode.AUTHENTICATION_ERROR, "the user name is empty");
        }
        return name;
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        Arrays.fill(buffer.array(), (byte) 0);
        return bytes;
    }
}
