package org.autoenroll.client;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The options of {@code enroll}, parsed and checked before anything is contacted. Where the
 * Kerberos credential comes from: {@code --user} with {@code --password} (demo) or {@code --keytab},
 * else the ticket cache ({@code --ccache}, else {@code KRB5CCNAME}, else {@code /tmp/krb5cc_<uid>}).
 */
record ClientOptions(URI server, Path caFile, String customerUri, String orgId, String email, String commonName,
                     String user, Secret password, Path keytab, Path ccache, Path krb5Conf, String realm, String kdc,
                     String servicePrincipal, Path store, StoreFormat format, Secret pkcs12Password, int renewDays,
                     KeyKind key, int timeoutSeconds) {

    enum StoreFormat { PEM, PKCS12 }

    enum KeyKind { EC, RSA }

    static final String USAGE = String.join("\n",
            "Usage: java -jar autoenroll-client.jar enroll --server URL --customer URI [options]",
            "",
            "Asks the server what the caller should do (the requirements list) and does it: enrolls, renews,",
            "collects approved requests, stores key and certificate, reports the status back.",
            "",
            "  --server URL            the autoenroll server, https://host:port",
            "  --ca FILE               PEM of the CA the server's TLS certificate chains to (default: Java's trust store)",
            "  --customer URI          the customerUri",
            "  --org-id N              the organization id",
            "  --email ADDRESS         the user's e-mail (a computer sends none)",
            "  --common-name NAME      the CN asked for in the request (the CA writes the directory's anyway)",
            "Kerberos (no JAAS, no krb5 system properties; the KDC from --krb5-conf, or --kdc and --realm):",
            "  --user PRINCIPAL        alice@EXAMPLE.COM, with --password or --keytab",
            "  --password SECRET       env:NAME, file:PATH, or the password itself (demo only: argv is visible to others)",
            "  --keytab FILE           a keytab holding the user's key",
            "  --ccache FILE           an MIT ticket cache (default: $KRB5CCNAME, else /tmp/krb5cc_<uid>)",
            "  --krb5-conf FILE        krb5.conf naming the realm's KDC (default: $KRB5_CONFIG, else /etc/krb5.conf)",
            "  --realm REALM, --kdc HOST:PORT   the KDC without a krb5.conf",
            "  --service PRINCIPAL     the server's principal (default HTTP/<host of --server>)",
            "Store:",
            "  --store DIR             where keys and certificates live (default ./autoenroll-store), one set per template",
            "  --format pem|pkcs12     <template>.key (0600) and <template>.pem, or <template>.p12 (default pem)",
            "  --pkcs12-password SECRET  env:NAME or file:PATH (never the value on the command line)",
            "  --renew-days N          renew this many days before expiry at the latest (default 0: as the server's list says)",
            "  --key ec|rsa            the key of new requests (default ec: P-256; rsa: 3072 bits)",
            "  --timeout SECONDS       per HTTP exchange (default 40)",
            "Exit codes: 0 done or pending, 1 a failure (its code, name, message and hints on stderr), 2 usage.");

    /** @throws IllegalArgumentException with what is wrong, for a usage error */
    static ClientOptions parse(String[] args) {
        URI server = null;
        Path ca = null;
        String customer = null;
        String orgId = null;
        String email = null;
        String cn = null;
        String user = null;
        Secret password = null;
        Path keytab = null;
        Path ccache = null;
        Path krb5Conf = null;
        String realm = null;
        String kdc = null;
        String service = null;
        Path store = Path.of("autoenroll-store");
        StoreFormat format = StoreFormat.PEM;
        Secret p12 = null;
        int renewDays = 0;
        KeyKind key = KeyKind.EC;
        int timeout = 40;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (!flag.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + flag);
            }
            if (!seen.add(flag)) {
                throw new IllegalArgumentException(flag + " is given twice");
            }
            String value = value(args, ++i, flag);
            switch (flag) {
                case "--server" -> server = serverUri(value);
                case "--ca" -> ca = Path.of(value);
                case "--customer" -> customer = value;
                case "--org-id" -> orgId = value;
                case "--email" -> email = value;
                case "--common-name" -> cn = value;
                case "--user" -> user = value;
                case "--password" -> password = Secret.parse(flag, value);
                case "--keytab" -> keytab = Path.of(value);
                case "--ccache" -> ccache = Path.of(value.startsWith("FILE:") ? value.substring(5) : value);
                case "--krb5-conf" -> krb5Conf = Path.of(value);
                case "--realm" -> realm = value.toUpperCase(Locale.ROOT);
                case "--kdc" -> kdc = value;
                case "--service" -> service = value;
                case "--store" -> store = Path.of(value);
                case "--format" -> format = choice(flag, value, StoreFormat.class);
                case "--pkcs12-password" -> {
                    if (!value.startsWith("env:") && !value.startsWith("file:")) {
                        throw new IllegalArgumentException("--pkcs12-password takes env:NAME or file:PATH, never the password itself");
                    }
                    p12 = Secret.parse(flag, value);
                }
                case "--renew-days" -> renewDays = number(flag, value, 0, 3650);
                case "--key" -> key = choice(flag, value, KeyKind.class);
                case "--timeout" -> timeout = number(flag, value, 1, 600);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (server == null || customer == null) {
            throw new IllegalArgumentException("--server and --customer are required");
        }
        if (password != null && keytab != null) {
            throw new IllegalArgumentException("give --password or --keytab, not both");
        }
        if ((password != null || keytab != null) && user == null) {
            throw new IllegalArgumentException("--password and --keytab need --user");
        }
        if (user != null && password == null && keytab == null) {
            throw new IllegalArgumentException("--user needs --password or --keytab (without them the ticket cache is used)");
        }
        if (format == StoreFormat.PKCS12 && p12 == null) {
            throw new IllegalArgumentException("--format pkcs12 needs --pkcs12-password env:NAME or file:PATH");
        }
        if (kdc != null && realm == null) {
            throw new IllegalArgumentException("--kdc needs --realm");
        }
        if (service == null) {
            service = "HTTP/" + server.getHost();
        }
        return new ClientOptions(server, ca, customer, orgId, email, cn, user, password, keytab, ccache, krb5Conf, realm,
                kdc, service, store, format, p12, renewDays, key, timeout);
    }

    private static URI serverUri(String value) {
        URI uri;
        try {
            uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server: not a URL: " + value);
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--server needs an https://host[:port] URL, got " + value);
        }
        return uri;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static int number(String flag, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new IllegalArgumentException(flag + " must be " + min + "-" + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got " + value);
        }
    }

    private static <E extends Enum<E>> E choice(String flag, String value, Class<E> type) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + value + " is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
        }
    }
}
