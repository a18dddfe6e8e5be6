package org.autoenroll.samples.bench;

import java.nio.file.Path;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.Set;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KeyTab;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.Oid;

/**
 * The JDK's JGSS SPNEGO acceptor from a keytab, without JAAS: a {@link Subject} holding the
 * service's {@link KerberosPrincipal} and {@link KeyTab}, and the acceptor credential created
 * inside {@link Subject#doAs}. The JVM needs a default realm ({@code java.security.krb5.realm}
 * and {@code .kdc}, set by the benchmark's fork) and, to accept a token twice, the replay cache
 * off ({@code sun.security.krb5.rcache=none}). Benchmark only. Thread-safe after construction
 * (one {@link GSSContext} per token).
 */
final class JdkAcceptor {
    private static final Oid SPNEGO = oid("1.3.6.1.5.5.2");

    private final GSSManager manager = GSSManager.getInstance();
    private final GSSCredential credential;

    JdkAcceptor(String servicePrincipal, Path keytabFile) throws GSSException {
        KerberosPrincipal principal = new KerberosPrincipal(servicePrincipal);
        Subject subject = new Subject(true, Set.of(principal), Set.of(),
                Set.of(KeyTab.getInstance(principal, keytabFile.toFile())));
        try {
            credential = Subject.doAs(subject, (PrivilegedExceptionAction<GSSCredential>) () ->
                    manager.createCredential(null, GSSCredential.INDEFINITE_LIFETIME, SPNEGO, GSSCredential.ACCEPT_ONLY));
        } catch (PrivilegedActionException e) {
            throw (GSSException) e.getException();
        }
    }

    /** Accepts one SPNEGO token; returns the client principal ({@code user@REALM}); {@code reply} gets the NegTokenResp. */
    String accept(byte[] token, byte[][] reply) throws GSSException {
        GSSContext context = manager.createContext(credential);
        try {
            reply[0] = context.acceptSecContext(token, 0, token.length);
            if (!context.isEstablished()) {
                throw new IllegalStateException("the JDK acceptor asked for another round trip");
            }
            return context.getSrcName().toString();
        } finally {
            context.dispose();
        }
    }

    private static Oid oid(String dotted) {
        try {
            return new Oid(dotted);
        } catch (GSSException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
