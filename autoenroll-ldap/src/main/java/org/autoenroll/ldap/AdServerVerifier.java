package org.autoenroll.ldap;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.LdapEndpoint;

/**
 * Checks an AD server record the way an operator would by hand, host by host, in order: DNS (the
 * name resolves), TCP (a connection opens within the connect timeout), TLS (for LDAPS: the handshake
 * succeeds, the certificate is trusted and names the host), bind (as the service account), base DN
 * (the users base entry can be read). Each host stops at its first failed step; the report names
 * it in words an operator can act on. The password is read only to bind and never reported.
 *
 * <pre>{@code
 * AdServerVerifier.Report report = new AdServerVerifier(LdapSettings.defaults(), trust).verify(server);
 * if (!report.ok()) System.err.println(report.message());
 * }</pre>
 *
 * <p>Thread-safe; holds no connections between calls.
 */
public final class AdServerVerifier {
    /** AD's "data NNN" sub-codes in a refused bind's diagnostic message (MS-ADTS, common LDAP bind errors). */
    private static final Pattern AD_BIND_DATA = Pattern.compile("data ([0-9a-fA-F]{3})");

    private final LdapSettings settings;
    private final SSLSocketFactory sslSocketFactory;

    /** The checks in the order they run. */
    public enum Step { DNS, TCP, TLS, BIND, BASE_DN }

    /** One step's outcome on one host. */
    public record StepResult(Step step, boolean ok, String message) {
        public StepResult {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(message, "message");
        }
    }

    /** What happened on one host: the steps run, the last one failed unless all passed. */
    public record HostReport(LdapEndpoint endpoint, List<StepResult> steps) {
        public HostReport {
            steps = List.copyOf(steps);
        }

        public boolean ok() {
            return steps.stream().allMatch(StepResult::ok);
        }

        /** The step that failed, if any. */
        public Optional<StepResult> failure() {
            return steps.stream().filter(s -> !s.ok()).findFirst();
        }
    }

    /**
     * @param serverId the record checked
     * @param ok every host passed every step
     * @param hosts one report per host, in the record's order
     * @param message one line for the operator: what failed first and what to do, or that all is well
     */
    public record Report(String serverId, boolean ok, List<HostReport> hosts, String message) {
        public Report {
            hosts = List.copyOf(hosts);
        }

        /** The first failed step over the hosts, in order. */
        public Optional<Step> failedStep() {
            return hosts.stream().map(HostReport::failure).flatMap(Optional::stream).map(StepResult::step).findFirst();
        }
    }

    /** LDAPS trusts what the JVM's default trust store trusts. */
    public AdServerVerifier(LdapSettings settings) {
        this(settings, null);
    }

    /**
     * @param sslSocketFactory for LDAPS, the same one given to {@link LdapDirectoryLookup}; null for
     *     the JVM default trust store
     */
    public AdServerVerifier(LdapSettings settings, SSLSocketFactory sslSocketFactory) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sslSocketFactory = sslSocketFactory;
    }

    /** Runs the checks on every host of the record. Never throws for a failed check. */
    public Report verify(AdServer server) {
        Objects.requireNonNull(server, "server");
        List<HostReport> hosts = new ArrayList<>();
        String firstFailure = null;
        for (LdapEndpoint endpoint : server.hosts()) {
            HostReport report = verifyHost(server, endpoint);
            hosts.add(report);
            if (firstFailure == null && !report.ok()) {
                StepResult failed = report.failure().orElseThrow();
                firstFailure = "AD server " + server.id() + ", host " + endpoint + ", step " + failed.step() + ": "
                        + failed.message();
            }
        }
        boolean ok = firstFailure == null;
        String message = ok
                ? "AD server " + server.id() + ": all " + hosts.size() + " host(s) reachable, bind as " + server.bindDn()
                        + " works and " + server.usersBaseDn() + " can be read"
                : firstFailure;
        return new Report(server.id(), ok, hosts, message);
    }

    private HostReport verifyHost(AdServer server, LdapEndpoint endpoint) {
        List<StepResult> steps = new ArrayList<>();
        String host = endpoint.host();
        int port = endpoint.port();

        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
            steps.add(pass(Step.DNS, host + " resolves to " + Arrays.stream(addresses).map(InetAddress::getHostAddress).toList()));
        } catch (UnknownHostException e) {
            steps.add(fail(Step.DNS, "the host name " + host + " does not resolve: check the name in the AD server record "
                    + "and this machine's DNS servers (nslookup " + host + ")"));
            return new HostReport(endpoint, steps);
        }

        Socket socket = null;
        try {
            StepResult tcp = null;
            for (InetAddress address : addresses) {
                Socket candidate = new Socket();
                try {
                    candidate.connect(new InetSocketAddress(address, port), connectTimeoutMillis());
                    socket = candidate;
                    tcp = pass(Step.TCP, "connected to " + address.getHostAddress() + ":" + port);
                    break;
                } catch (IOException e) {
                    closeQuietly(candidate);
                    tcp = fail(Step.TCP, tcpFailure(address, port, e));
                }
            }
            steps.add(tcp);
            if (socket == null) {
                return new HostReport(endpoint, steps);
            }
            if (server.useSsl()) {
                StepResult tls = tls(socket, host, port);
                steps.add(tls);
                if (!tls.ok()) {
                    return new HostReport(endpoint, steps);
                }
            }
        } finally {
            closeQuietly(socket);
        }

        LDAPConnection connection;
        try {
            connection = new LDAPConnection(socketFactory(server), options(server), host, port);
        } catch (LDAPException | GeneralSecurityException e) {
            steps.add(fail(Step.BIND, "could not open an LDAP connection although TCP" + (server.useSsl() ? " and TLS" : "")
                    + " worked (" + describe(e) + "): retry, the server may be overloaded"));
            return new HostReport(endpoint, steps);
        }
        try (connection) {
            if (!server.useSsl() && settings.startTls()) {
                // as the lookup does: upgrade before the bind, never fall back to clear text
                StepResult tls = startTls(connection, host, port);
                steps.add(tls);
                if (!tls.ok()) {
                    return new HostReport(endpoint, steps);
                }
            }
            StepResult bind = bind(connection, server);
            steps.add(bind);
            if (!bind.ok()) {
                return new HostReport(endpoint, steps);
            }
            steps.add(baseDn(connection, server));
        }
        return new HostReport(endpoint, steps);
    }

    private StepResult tls(Socket socket, String host, int port) {
        SSLSocket tls = null;
        try {
            tls = (SSLSocket) sslSockets().createSocket(socket, host, port, true);
            tls.setSoTimeout((int) Math.min(Integer.MAX_VALUE, settings.responseTimeout().toMillis()));
            tls.startHandshake();
        } catch (GeneralSecurityException e) {
            return fail(Step.TLS, "no TLS context: " + describe(e));
        } catch (SSLHandshakeException e) {
            if (untrusted(e)) {
                return fail(Step.TLS, "the server's certificate is not trusted: add the AD CA to the trust store "
                        + "autoenroll uses for LDAPS (or fix the DC's certificate chain)");
            }
            return fail(Step.TLS, "the TLS handshake with " + host + ":" + port + " failed (" + describe(e)
                    + "): check that the port speaks LDAPS (636) and shares a TLS version and cipher with Java");
        } catch (SSLException e) {
            return fail(Step.TLS, "no TLS on " + host + ":" + port + " (" + describe(e)
                    + "): the port may speak plain LDAP (389); use 636 for LDAPS or turn SSL off in the record");
        } catch (IOException e) {
            return fail(Step.TLS, "the connection to " + host + ":" + port + " broke during the TLS handshake ("
                    + describe(e) + "): check that the port speaks LDAPS");
        }
        try {
            new HostNameSSLSocketVerifier(false).verifySSLSocket(host, port, tls);
            return pass(Step.TLS, "handshake done, certificate trusted and naming " + host);
        } catch (LDAPException e) {
            return fail(Step.TLS, "the server's certificate does not name " + host
                    + ": put a name the certificate holds (its DNS name) in the AD server record");
        } finally {
            closeQuietly(tls);
        }
    }

    /** StartTLS on a plain connection (ldap.startTls), with the same trust and host name checks as LDAPS. */
    private StepResult startTls(LDAPConnection connection, String host, int port) {
        try {
            com.unboundid.ldap.sdk.ExtendedResult result = connection.processExtendedOperation(
                    new com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest(sslSockets()));
            if (result.getResultCode() != ResultCode.SUCCESS) {
                return fail(Step.TLS, "the DC refused StartTLS on " + host + ":" + port + " (result " + result.getResultCode().intValue()
                        + " " + result.getResultCode().getName() + "): give the DC a certificate, or use LDAPS (ssl: true, port 636)");
            }
            return pass(Step.TLS, "StartTLS done, certificate trusted and naming " + host);
        } catch (GeneralSecurityException e) {
            return fail(Step.TLS, "no TLS context: " + describe(e));
        } catch (LDAPException e) {
            return fail(Step.TLS, "StartTLS with " + host + ":" + port + " failed (" + describe(e) + "): the DC may have no "
                    + "certificate, or its certificate is not trusted by the configured ldap.trustedCertificates or does not name " + host);
        }
    }

    private StepResult bind(LDAPConnection connection, AdServer server) {
        byte[] password;
        try {
            password = password(server);
        } catch (IOException e) {
            // The IOException names the variable or file, never the value.
            return fail(Step.BIND, "the bind password " + server.bindPassword() + " cannot be read (" + e.getMessage()
                    + "): set the variable or create the file");
        }
        if (password.length == 0) {
            return fail(Step.BIND, "the bind password " + server.bindPassword() + " is empty: anonymous binds are refused");
        }
        try {
            SimpleBindRequest request = new SimpleBindRequest(server.bindDn(), password);
            request.setResponseTimeoutMillis(settings.responseTimeout().toMillis());
            connection.bind(request);
            return pass(Step.BIND, "bound as " + server.bindDn());
        } catch (LDAPException e) {
            ResultCode code = e.getResultCode();
            if (code == ResultCode.INVALID_CREDENTIALS) {
                return fail(Step.BIND, "invalid credentials for " + server.bindDn() + adBindReason(e.getDiagnosticMessage()));
            }
            if (code == ResultCode.TIMEOUT) {
                return fail(Step.BIND, "no answer to the bind within " + settings.responseTimeout() + ": the DC is overloaded or hung");
            }
            if (code == ResultCode.STRONG_AUTH_REQUIRED || code == ResultCode.CONFIDENTIALITY_REQUIRED) {
                return fail(Step.BIND, "the DC refuses simple binds without TLS (" + code.getName()
                        + "): turn SSL on in the AD server record (LDAPS, port 636)"
                        + (settings.startTls() ? "" : " or set ldap.startTls: true"));
            }
            return fail(Step.BIND, "the bind as " + server.bindDn() + " failed: result " + code.intValue() + " " + code.getName());
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    private StepResult baseDn(LDAPConnection connection, AdServer server) {
        try {
            SearchResultEntry entry = connection.getEntry(server.usersBaseDn(), "1.1");
            if (entry == null) {
                return fail(Step.BASE_DN, "the users base DN " + server.usersBaseDn()
                        + " does not exist (no such object): the base DN is wrong, e.g. CN=Users,DC=example,DC=com");
            }
            return pass(Step.BASE_DN, "read " + server.usersBaseDn());
        } catch (LDAPException e) {
            ResultCode code = e.getResultCode();
            if (code == ResultCode.NO_SUCH_OBJECT || code == ResultCode.REFERRAL) {
                return fail(Step.BASE_DN, "the users base DN " + server.usersBaseDn()
                        + " does not exist in this domain: the base DN is wrong (or names another domain)");
            }
            if (code == ResultCode.INVALID_DN_SYNTAX) {
                return fail(Step.BASE_DN, "the users base DN " + server.usersBaseDn() + " is not a valid DN");
            }
            if (code == ResultCode.INSUFFICIENT_ACCESS_RIGHTS) {
                return fail(Step.BASE_DN, server.bindDn() + " may not read " + server.usersBaseDn()
                        + ": grant the service account read access");
            }
            return fail(Step.BASE_DN, "reading " + server.usersBaseDn() + " failed: result " + code.intValue() + " " + code.getName());
        }
    }

    /** AD explains a refused bind with "data 52e" and the like; say it in words. */
    private static String adBindReason(String diagnostic) {
        if (diagnostic == null) {
            return ": check the bind DN and the password";
        }
        Matcher m = AD_BIND_DATA.matcher(diagnostic);
        if (!m.find()) {
            return ": check the bind DN and the password";
        }
        return switch (m.group(1).toLowerCase(Locale.ROOT)) {
            case "525" -> ": no such account (the bind DN is wrong)";
            case "52e" -> ": the password is wrong";
            case "530", "531" -> ": the account may not log on at this time or from this machine";
            case "532" -> ": the service account's password has expired";
            case "533" -> ": the service account is disabled";
            case "701" -> ": the service account has expired";
            case "773" -> ": the service account must change its password first";
            case "775" -> ": the service account is locked out";
            default -> ": check the bind DN and the password (AD data " + m.group(1) + ")";
        };
    }

    private static boolean untrusted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException
                    || t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    private String tcpFailure(InetAddress address, int port, IOException e) {
        String where = address.getHostAddress() + ":" + port;
        if (e instanceof SocketTimeoutException) {
            return "no answer from " + where + " within " + settings.connectTimeout()
                    + ": the host is down or a firewall drops the traffic";
        }
        if (e instanceof ConnectException) {
            return "connection refused by " + where + ": nothing listens on port " + port
                    + " (LDAP is 389, LDAPS 636) or a firewall rejects it";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to " + where + ": check the network between this server and the DC";
        }
        return "cannot connect to " + where + " (" + describe(e) + ")";
    }

    private SocketFactory socketFactory(AdServer server) throws GeneralSecurityException {
        return server.useSsl() ? sslSockets() : SocketFactory.getDefault();
    }

    private SSLSocketFactory sslSockets() throws GeneralSecurityException {
        return sslSocketFactory != null ? sslSocketFactory : SSLContext.getDefault().getSocketFactory();
    }

    private LDAPConnectionOptions options(AdServer server) {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(connectTimeoutMillis());
        options.setResponseTimeoutMillis(settings.responseTimeout().toMillis());
        options.setFollowReferrals(false);
        // StartTLS gets the host name check LDAPS gets in tls()
        options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(false));
        if (server.useSsl()) {
            options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(false));
        }
        return options;
    }

    private int connectTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis());
    }

    private static byte[] password(AdServer server) throws IOException {
        char[] chars = server.bindPassword().resolve();
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            Arrays.fill(encoded.array(), (byte) 0);
            return bytes;
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** The exception's class and message: JDK network and TLS messages hold no secrets. */
    private static String describe(Exception e) {
        String message = e instanceof LDAPException l ? l.getResultCode().getName() : e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static StepResult pass(Step step, String message) {
        return new StepResult(step, true, message);
    }

    private static StepResult fail(Step step, String message) {
        return new StepResult(step, false, message);
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a probe
            }
        }
    }
}
