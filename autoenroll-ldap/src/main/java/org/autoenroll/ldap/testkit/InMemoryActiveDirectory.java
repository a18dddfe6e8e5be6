package org.autoenroll.ldap.testkit;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.LdapEndpoint;
import org.autoenroll.api.SecretRef;

/**
 * A small Active Directory look-alike in this JVM, for integrators' tests and the reference
 * server's demo mode: an UnboundID {@link InMemoryDirectoryServer} on 127.0.0.1 and a free port
 * (LDAP, or LDAPS with a given {@link SSLContext}), with the AD attributes autoenrollment reads,
 * the domain root, a {@code CN=Users} container and a service account to bind as.
 *
 * <pre>{@code
 * try (InMemoryActiveDirectory ad = InMemoryActiveDirectory.start()) {
 *     ad.addUser(UserSpec.builder("alice").mail("alice@example.com").build());
 *     AdServer server = ad.adServer("demo-ad", "EXAMPLE.COM");
 * }
 * }</pre>
 *
 * <p>Unlike AD it does not compute {@code memberOf} (the kit writes it from
 * {@link UserSpec#groups()} and from the parents given to {@link #addGroup(String, String...)}) and rejects AD's extensible-match filters (bitwise AND, nested groups).
 *
 * <p>Accounts and groups get an {@code objectSid} in a random domain SID ({@link #domainSid()}), so
 * that template ACLs can name them; there is no {@code tokenGroups} (a lookup reads the groups' SIDs).
 *
 * <p>Thread-safe: the wrapped server is; the only other mutable state is an atomic RID counter.
 */
public final class InMemoryActiveDirectory implements AutoCloseable {
    public static final String DEFAULT_BASE_DN = "DC=example,DC=com";
    public static final String DEFAULT_SERVICE_ACCOUNT = "svc-autoenroll";
    private static final String LISTEN_ADDRESS = "127.0.0.1";

    private final InMemoryDirectoryServer server;
    private final String baseDn;
    private final String usersDn;
    private final String computersDn;
    private final String configurationDn;
    private final String domainSid;
    private final AtomicInteger nextRid = new AtomicInteger(1100);
    private final String bindDn;
    private final char[] bindPassword;
    private final String dnsDomain;
    private final boolean ssl;
    private final String hostName;

    private InMemoryActiveDirectory(Builder b) throws LDAPException {
        this.baseDn = new DN(b.baseDn).toString();
        this.usersDn = new DN(new RDN("CN", "Users"), new DN(baseDn)).toString();
        this.computersDn = new DN(new RDN("CN", "Computers"), new DN(baseDn)).toString();
        SecureRandom random = new SecureRandom();
        this.domainSid = "S-1-5-21-" + Integer.toUnsignedString(random.nextInt()) + "-"
                + Integer.toUnsignedString(random.nextInt()) + "-" + Integer.toUnsignedString(random.nextInt());
        this.bindDn = new DN(new RDN("CN", b.serviceAccount), new DN(usersDn)).toString();
        this.bindPassword = b.bindPassword == null ? AdEntries.randomPassword() : b.bindPassword.clone();
        this.dnsDomain = AdEntries.dnsDomain(new DN(baseDn));
        this.ssl = b.sslContext != null;
        this.hostName = b.hostName;

        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(baseDn);
        config.setSchema(ActiveDirectorySchema.withStandardSchema());
        this.configurationDn = "CN=Configuration," + baseDn;
        // as AD announces its naming contexts; AdTemplateSource finds the templates through this one
        config.setCustomRootDSEAttributes(List.of(new Attribute("configurationNamingContext", configurationDn),
                new Attribute("defaultNamingContext", baseDn)));
        config.setListenerConfigs(AdEntries.listener(LISTEN_ADDRESS, b.sslContext));
        config.setAccessLogHandler(null);
        config.setLDAPDebugLogHandler(null);
        for (InMemoryOperationInterceptor interceptor : b.interceptors) {
            config.addInMemoryOperationInterceptor(interceptor);
        }
        server = new InMemoryDirectoryServer(config);
        server.startListening();
        try {
            seed(b.serviceAccount);
        } catch (LDAPException | RuntimeException e) {
            server.shutDown(true);
            throw e;
        }
    }

    /** Starts one with the defaults: {@value #DEFAULT_BASE_DN}, plain LDAP, a random bind password. */
    public static InMemoryActiveDirectory start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds a user under {@code CN=Users}; when a group DN of {@link UserSpec#groups()} names a group
     * entry here, the user is also added to its {@code member}.
     *
     * @return the new entry's DN
     * @throws IllegalArgumentException when the entry exists or a value breaks the schema
     */
    public String addUser(UserSpec spec) {
        Objects.requireNonNull(spec, "spec");
        try {
            String dn = new DN(new RDN("CN", spec.commonName()), new DN(usersDn)).toString();
            server.add(AdEntries.user(dn, spec, dnsDomain, nextSid()));
            AdEntries.addMember(server, spec.groups(), dn);
            return dn;
        } catch (LDAPException e) {
            throw new IllegalArgumentException("cannot add user " + spec.samAccountName() + ": " + e.getResultCode(), e);
        }
    }

    /**
     * Adds a computer under {@code CN=Computers}, as a domain join makes one ({@code sAMAccountName WS01$},
     * objectClass {@code computer}); when a group DN of {@link ComputerSpec#groups()} names a group
     * entry here, the computer is also added to its {@code member}.
     *
     * @return the new entry's DN
     * @throws IllegalArgumentException when the entry exists or a value breaks the schema
     */
    public String addComputer(ComputerSpec spec) {
        Objects.requireNonNull(spec, "spec");
        try {
            String dn = new DN(new RDN("CN", spec.name()), new DN(computersDn)).toString();
            server.add(AdEntries.computer(dn, spec, nextSid()));
            AdEntries.addMember(server, spec.groups(), dn);
            return dn;
        } catch (LDAPException e) {
            throw new IllegalArgumentException("cannot add computer " + spec.name() + ": " + e.getResultCode(), e);
        }
    }

    /** The {@code objectSid} of an entry this directory holds, in S-1-... form; empty when it has none. */
    public Optional<String> objectSid(String dn) {
        return AdEntries.objectSid(server, dn);
    }

    /** This domain's SID ({@code S-1-5-21-...}, random per start); accounts get RIDs from 1100 on. */
    public String domainSid() {
        return domainSid;
    }

    private String nextSid() {
        return domainSid + "-" + nextRid.getAndIncrement();
    }
    /**
     * Adds a (global security) group under {@code CN=Users}.
     *
     * @return its DN, to pass to {@link UserSpec.Builder#groups}
     */
    public String addGroup(String commonName) {
        return addGroup(commonName, new String[0]);
    }

    /**
     * Adds a group under {@code CN=Users} that is itself a member of the given groups (nested
     * groups): the kit writes the new group's {@code memberOf} and each existing parent's {@code member},
     * as AD would show them.
     *
     * @param parentGroupDns DNs of groups this one belongs to (see {@link #addGroup(String)})
     * @return its DN
     */
    public String addGroup(String commonName, String... parentGroupDns) {
        Objects.requireNonNull(commonName, "commonName");
        try {
            String dn = new DN(new RDN("CN", commonName), new DN(usersDn)).toString();
            server.add(AdEntries.group(dn, commonName, parentGroupDns, nextSid()));
            for (String parent : parentGroupDns) {
                if (server.getEntry(parent) != null) {
                    server.modify(parent, new Modification(ModificationType.ADD, "member", dn));
                }
            }
            return dn;
        } catch (LDAPException e) {
            throw new IllegalArgumentException("cannot add group " + commonName + ": " + e.getResultCode(), e);
        }
    }

    /** Deletes an entry (e.g. a user) by DN. */
    public void delete(String dn) {
        try {
            server.delete(dn);
        } catch (LDAPException e) {
            throw new IllegalArgumentException("cannot delete " + dn + ": " + e.getResultCode(), e);
        }
    }

    /**
     * An AD server record pointing here, binding as the service account with a literal password.
     *
     * @param windowsDomain the Kerberos realm served, e.g. {@code EXAMPLE.COM}
     */
    public AdServer adServer(String id, String windowsDomain) {
        return new AdServer(id, windowsDomain, List.of(endpoint()), ssl, usersDn, bindDn, SecretRef.literal(bindPassword));
    }

    /** As {@link #adServer(String, String)} with the realm derived from the base DN (DC=example,DC=com -> EXAMPLE.COM). */
    public AdServer adServer(String id) {
        if (dnsDomain.isEmpty()) {
            throw new IllegalStateException("base DN " + baseDn + " has no DC components: name the Windows domain");
        }
        return adServer(id, dnsDomain.toUpperCase(Locale.ROOT));
    }

    /** Where clients connect: the host name (127.0.0.1 unless set) and {@link #port()}. */
    public LdapEndpoint endpoint() {
        return new LdapEndpoint(hostName, port());
    }

    public int port() {
        return server.getListenPort();
    }

    /** True when the listener speaks LDAPS. */
    public boolean ssl() {
        return ssl;
    }

    public String baseDn() {
        return baseDn;
    }

    /** {@code CN=Computers,<base>}, where {@link #addComputer} puts computers. */
    public String computersDn() {
        return computersDn;
    }

    /** {@code CN=Configuration,<base>}, which the root DSE names as {@code configurationNamingContext}. */
    public String configurationDn() {
        return configurationDn;
    }

    /**
     * {@code CN=Certificate Templates,CN=Public Key Services,CN=Services,CN=Configuration,<base>}, where
     * AD keeps its {@code pKICertificateTemplate} objects (see {@link TemplateEntries}).
     */
    public String certificateTemplatesDn() {
        return "CN=Certificate Templates,CN=Public Key Services,CN=Services," + configurationDn;
    }

    /**
     * Adds a {@code pKICertificateTemplate} as AD CS stores it ({@link TemplateEntries}), rights as
     * object ACEs in its {@code nTSecurityDescriptor}; trustees must be SIDs ({@link #objectSid}).
     *
     * @return the new entry's DN
     */
    public String addTemplate(org.autoenroll.api.CertificateTemplate template) {
        Entry entry = TemplateEntries.entry(certificateTemplatesDn(), template);
        try {
            server.add(entry);
            return entry.getDN();
        } catch (LDAPException e) {
            throw new IllegalArgumentException("cannot add template " + template.name() + ": " + e.getResultCode(), e);
        }
    }

    /** {@code CN=Users,<base>}. */
    public String usersDn() {
        return usersDn;
    }

    /** The service account's DN, {@code CN=svc-autoenroll,CN=Users,<base>} by default. */
    public String bindDn() {
        return bindDn;
    }

    /** A copy of the service account's password; clear it after use. */
    public char[] bindPassword() {
        return bindPassword.clone();
    }

    /** The DNS domain of the base DN, lower case ({@code example.com}); empty without DC components. */
    public String dnsDomain() {
        return dnsDomain;
    }

    /** The wrapped server, for what this class does not offer (LDIF import, interceptors are fixed at start). */
    public InMemoryDirectoryServer server() {
        return server;
    }

    /** Stops listening and closes client connections. Idempotent. */
    @Override
    public void close() {
        server.shutDown(true);
    }

    private void seed(String serviceAccount) throws LDAPException {
        DN base = new DN(baseDn);
        RDN top = base.getRDN();
        if (top.getAttributeNames().length == 1 && top.getAttributeNames()[0].equalsIgnoreCase("dc")) {
            server.add(new Entry(baseDn, new Attribute("objectClass", "top", "domain"),
                    new Attribute("dc", top.getAttributeValues()[0])));
        } else {
            throw new LDAPException(ResultCode.PARAM_ERROR, "base DN must start with a DC component: " + baseDn);
        }
        server.add(new Entry(usersDn, new Attribute("objectClass", "top", "container"), new Attribute("cn", "Users"),
                new Attribute("description", "Default container for upgraded user accounts")));
        for (Entry container : AdEntries.configurationContainers(configurationDn)) {
            server.add(container);
        }
        server.add(new Entry(computersDn, new Attribute("objectClass", "top", "container"), new Attribute("cn", "Computers"),
                new Attribute("description", "Default container for upgraded computer accounts")));
        server.add(new Entry(bindDn,
                new Attribute("objectClass", "top", "user"),
                new Attribute("cn", serviceAccount),
                new Attribute("sAMAccountName", serviceAccount),
                new Attribute("userAccountControl", Integer.toString(AdEntries.NORMAL_ACCOUNT)),
                new Attribute("userPassword", AdEntries.utf8(bindPassword))));
    }

    /** Options for {@link InMemoryActiveDirectory}; {@link #start()} starts it. Not thread-safe. */
    public static final class Builder {
        private String baseDn = DEFAULT_BASE_DN;
        private String serviceAccount = DEFAULT_SERVICE_ACCOUNT;
        private char[] bindPassword;
        private SSLContext sslContext;
        private String hostName = LISTEN_ADDRESS;
        private final List<InMemoryOperationInterceptor> interceptors = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sees (and may change or fail) every operation, e.g. to inject faults in tests: throwing an
         * {@link LDAPException} from a {@code process...Request} method answers with its result code.
         */
        public Builder operationInterceptor(InMemoryOperationInterceptor value) {
            interceptors.add(Objects.requireNonNull(value, "interceptor"));
            return this;
        }

        /** E.g. {@code DC=corp,DC=example,DC=org}; must start with a DC component. */
        public Builder baseDn(String value) {
            this.baseDn = Objects.requireNonNull(value, "baseDn");
            return this;
        }

        /** The service account's cn and sAMAccountName. */
        public Builder serviceAccount(String value) {
            this.serviceAccount = Objects.requireNonNull(value, "serviceAccount");
            return this;
        }

        /** A fixed bind password (e.g. to run two servers with the same data); random by default. */
        public Builder bindPassword(char[] value) {
            if (value.length == 0) {
                throw new IllegalArgumentException("bind password must not be empty");
            }
            this.bindPassword = value.clone();
            return this;
        }

        /** Listen with LDAPS, using this context's key manager for the server certificate. */
        public Builder ldaps(SSLContext value) {
            this.sslContext = Objects.requireNonNull(value, "sslContext");
            return this;
        }

        /**
         * The host name put into {@link #adServer} records (default {@code 127.0.0.1}): with LDAPS,
         * one that the server certificate names, e.g. {@code localhost}. The listener stays on 127.0.0.1.
         */
        public Builder hostName(String value) {
            this.hostName = Objects.requireNonNull(value, "hostName");
            return this;
        }

        /**
         * @throws IllegalStateException when the server cannot start (the cause says why)
         * @throws IllegalArgumentException when the base DN is not a DN starting with DC=
         */
        public InMemoryActiveDirectory start() {
            try {
                return new InMemoryActiveDirectory(this);
            } catch (LDAPException e) {
                if (e.getResultCode() == ResultCode.INVALID_DN_SYNTAX || e.getResultCode() == ResultCode.PARAM_ERROR) {
                    throw new IllegalArgumentException("invalid base DN " + baseDn + ": " + e.getMessage(), e);
                }
                throw new IllegalStateException("in-memory directory did not start: " + e.getResultCode(), e);
            }
        }
    }
}
