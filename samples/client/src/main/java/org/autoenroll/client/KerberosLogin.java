package org.autoenroll.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.ccache.Credential;
import org.apache.kerby.kerberos.kerb.ccache.CredentialCache;
import org.apache.kerby.kerberos.kerb.client.KrbClient;
import org.apache.kerby.kerberos.kerb.client.KrbConfig;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.ticket.SgtTicket;
import org.apache.kerby.kerberos.kerb.type.ticket.TgtTicket;
import org.autoenroll.api.ErrorCode;

/**
 * The caller's service ticket for the server, from a password or keytab (an AS exchange, then a
 * TGS exchange) or from an MIT ticket cache (a service ticket already there, else one from the
 * cached TGT). Apache Kerby's client with an explicit configuration: no JAAS, no
 * {@code java.security.krb5.*} property, no JDK GSS; nothing JVM-wide is set.
 */
final class KerberosLogin {
    private KerberosLogin() {
    }

    /** @throws ClientFailure 37 when the KDC refuses or the cache holds no usable ticket, 35 when no KDC answers */
    static SpnegoToken login(ClientOptions options) throws ClientFailure {
        String service = options.servicePrincipal();
        try {
            if (options.user() == null) {
                Path ccache = ccache(options);
                SgtTicket cached = cachedServiceTicket(ccache, service);
                if (cached != null) {
                    return token(cached);
                }
                KrbClient client = client(options, realmOf(ccache));
                TgtTicket tgt = client.getTgtTicketFromCredential(client.getCredentialFromFile(ccache.toFile()));
                return token(client.requestSgt(tgt, qualified(service, tgt.getRealm())));
            }
            String user = options.user();
            KrbClient client = client(options, user.contains("@") ? user.substring(user.lastIndexOf('@') + 1) : null);
            TgtTicket tgt;
            if (options.keytab() != null) {
                if (!Files.isReadable(options.keytab())) {
                    throw new ClientFailure(ErrorCode.AUTHENTICATION_ERROR, "cannot read the keytab " + options.keytab());
                }
                tgt = client.requestTgt(user, options.keytab().toFile());
            } else {
                char[] password = options.password().value();
                tgt = client.requestTgt(user, new String(password));
                java.util.Arrays.fill(password, '\0');
            }
            return token(client.requestSgt(tgt, qualified(service, tgt.getRealm())));
        } catch (KrbException e) {
            throw kdcFailure(e);
        }
    }

    private static SpnegoToken token(SgtTicket sgt) {
        return new SpnegoToken(sgt.getTicket(), sgt.getSessionKey(), sgt.getClientPrincipal(),
                sgt.getClientPrincipal().getRealm() != null ? sgt.getClientPrincipal().getRealm() : sgt.getRealm());
    }

    /** The KDC of {@code realm}: --kdc, else --krb5-conf, $KRB5_CONFIG or /etc/krb5.conf (read, never installed). */
    private static KrbClient client(ClientOptions options, String principalRealm) throws KrbException, ClientFailure {
        KrbConfig config = new KrbConfig();
        if (options.kdc() == null) {
            Path conf = options.krb5Conf();
            if (conf == null) {
                String env = System.getenv("KRB5_CONFIG");
                conf = Path.of(env != null && !env.isBlank() ? env : "/etc/krb5.conf");
            }
            if (!Files.isReadable(conf)) {
                throw new ClientFailure(ErrorCode.CONNECT_FAILED, "no KDC known: " + conf
                        + " is not readable; give --krb5-conf FILE, or --kdc HOST:PORT with --realm");
            }
            try {
                config.addKrb5Config(conf.toFile());
            } catch (IOException e) {
                throw new ClientFailure(ErrorCode.CONNECT_FAILED, "cannot read " + conf + ": " + e.getMessage());
            }
        }
        KrbClient client = new KrbClient(config);
        String realm = options.realm() != null ? options.realm() : principalRealm;
        if (realm == null) {
            realm = config.getDefaultRealm();
        }
        if (realm == null) {
            throw new ClientFailure(ErrorCode.CONNECT_FAILED, "no realm: give --user name@REALM or --realm");
        }
        client.setKdcRealm(realm.toUpperCase(Locale.ROOT));
        if (options.kdc() != null) {
            int colon = options.kdc().lastIndexOf(':');
            client.setKdcHost(colon < 0 ? options.kdc() : options.kdc().substring(0, colon));
            client.setKdcTcpPort(colon < 0 ? 88 : Integer.parseInt(options.kdc().substring(colon + 1)));
        }
        client.setAllowTcp(true);
        // TCP only: ticket replies with a PAC rarely fit a UDP datagram
        client.setAllowUdp(false);
        client.setTimeout(options.timeoutSeconds() * 1000);
        client.init();
        return client;
    }

    /** --ccache, else KRB5CCNAME (FILE: caches only), else /tmp/krb5cc_<uid>. */
    static Path ccache(ClientOptions options) throws ClientFailure {
        Path path = options.ccache();
        if (path == null) {
            String env = System.getenv("KRB5CCNAME");
            if (env != null && !env.isBlank()) {
                if (env.contains(":") && !env.startsWith("FILE:")) {
                    throw new ClientFailure(ErrorCode.AUTHENTICATION_ERROR, "KRB5CCNAME=" + env
                            + " is not a FILE: cache; only MIT file caches are read (run kinit with a FILE: cache, or give --user)");
                }
                path = Path.of(env.startsWith("FILE:") ? env.substring(5) : env);
            } else {
                path = Path.of("/tmp/krb5cc_" + uid());
            }
        }
        if (!Files.isReadable(path)) {
            throw new ClientFailure(ErrorCode.AUTHENTICATION_ERROR, "no ticket cache at " + path
                    + ": log on (kinit), or give --user with --keytab or --password");
        }
        return path;
    }

    private static String realmOf(Path ccache) throws ClientFailure {
        CredentialCache cache = load(ccache);
        return cache.getPrimaryPrincipal() == null ? null : cache.getPrimaryPrincipal().getRealm();
    }

    /** A service ticket for {@code service} still valid for a minute, or null. */
    private static SgtTicket cachedServiceTicket(Path ccache, String service) throws ClientFailure {
        CredentialCache cache = load(ccache);
        long soon = System.currentTimeMillis() + 60_000;
        for (Credential credential : cache.getCredentials()) {
            KerberosTime end = credential.getEndTime();
            if (credential.getServerName() != null && service.equalsIgnoreCase(withoutRealm(credential.getServerName().getName()))
                    && end != null && end.getTime() > soon && credential.getTicket() != null) {
                org.apache.kerby.kerberos.kerb.type.kdc.EncTgsRepPart part = new org.apache.kerby.kerberos.kerb.type.kdc.EncTgsRepPart();
                part.setKey(credential.getKey());
                part.setSname(credential.getServerName());
                part.setSrealm(credential.getServerName().getRealm());
                part.setEndTime(end);
                SgtTicket sgt = new SgtTicket(credential.getTicket(), part);
                org.apache.kerby.kerberos.kerb.type.base.PrincipalName client = credential.getClientName();
                client.setRealm(credential.getClientRealm());
                sgt.setClientPrincipal(client);
                return sgt;
            }
        }
        return null;
    }

    private static CredentialCache load(Path ccache) throws ClientFailure {
        CredentialCache cache = new CredentialCache();
        try {
            cache.load(ccache.toFile());
        } catch (IOException | RuntimeException e) {
            throw new ClientFailure(ErrorCode.AUTHENTICATION_ERROR, "cannot read the ticket cache " + ccache
                    + " (not an MIT file cache?): " + e.getClass().getSimpleName());
        }
        return cache;
    }

    private static String withoutRealm(String name) {
        int at = name.lastIndexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }

    private static String qualified(String service, String realm) {
        return service.contains("@") ? service : service + "@" + realm;
    }

    private static ClientFailure kdcFailure(KrbException e) {
        String text = String.valueOf(e.getMessage());
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("connect") || lower.contains("timeout") || lower.contains("timed out") || lower.contains("refused")
                || lower.contains("no route") || lower.contains("unknownhost")) {
            return new ClientFailure(ErrorCode.CONNECT_FAILED, "no answer from the KDC: " + text);
        }
        // a wrong password, an unknown principal, an expired TGT, an unknown service: the KDC's own words
        return new ClientFailure(ErrorCode.AUTHENTICATION_ERROR, "the KDC refused: " + text);
    }

    private static String uid() {
        // the process's own uid (MIT's default cache name); the JDK has it in jdk.security.auth
        return String.valueOf(new com.sun.security.auth.module.UnixSystem().getUid());
    }
}
