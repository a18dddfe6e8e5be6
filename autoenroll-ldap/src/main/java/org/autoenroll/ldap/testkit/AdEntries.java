package org.autoenroll.ldap.testkit;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.RDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.autoenroll.ldap.WindowsSid;

/**
 * The entries {@link InMemoryActiveDirectory} adds, with the attributes AD gives such accounts:
 * users, computers and groups, each with an {@code objectSid}; the configuration partition's
 * containers; and the helpers the directory needs to start.
 *
 * <p>Stateless and thread-safe.
 */
final class AdEntries {
    /** userAccountControl NORMAL_ACCOUNT (0x200), WORKSTATION_TRUST_ACCOUNT (0x1000), ACCOUNTDISABLE (0x2). */
    static final int NORMAL_ACCOUNT = 0x200;
    static final int WORKSTATION_TRUST_ACCOUNT = 0x1000;
    static final int ACCOUNTDISABLE = 0x2;
    /** groupType of a global security group. */
    private static final int GLOBAL_SECURITY_GROUP = 0x80000002;
    private static final Instant FILETIME_EPOCH = Instant.parse("1601-01-01T00:00:00Z");

    private AdEntries() {
    }

    static Entry user(String dn, UserSpec spec, String dnsDomain, String sid) {
        List<Attribute> attributes = new ArrayList<>();
        attributes.add(new Attribute("objectClass", "top", "user"));
        attributes.add(new Attribute("cn", spec.commonName()));
        attributes.add(new Attribute("sAMAccountName", spec.samAccountName()));
        attributes.add(new Attribute("objectSid", WindowsSid.parse(sid)));
        String upn = spec.defaultUserPrincipalName()
                ? (dnsDomain.isEmpty() ? null : spec.samAccountName() + "@" + dnsDomain)
                : spec.userPrincipalName().orElse(null);
        if (upn != null) {
            attributes.add(new Attribute("userPrincipalName", upn));
        }
        spec.mail().ifPresent(mail -> attributes.add(new Attribute("mail", mail)));
        if (!spec.proxyAddresses().isEmpty()) {
            attributes.add(new Attribute("proxyAddresses", spec.proxyAddresses()));
        }
        if (!spec.groups().isEmpty()) {
            attributes.add(new Attribute("memberOf", spec.groups()));
        }
        int uac = NORMAL_ACCOUNT | (spec.disabled() ? ACCOUNTDISABLE : 0);
        attributes.add(new Attribute("userAccountControl", Integer.toString(uac)));
        spec.accountExpires().ifPresent(at -> attributes.add(new Attribute("accountExpires", fileTime(at))));
        if (!spec.certificates().isEmpty()) {
            attributes.add(new Attribute("userCertificate", spec.certificates().toArray(new byte[0][])));
        }
        if (!spec.binaryCertificates().isEmpty()) {
            attributes.add(new Attribute("userCertificate;binary", spec.binaryCertificates().toArray(new byte[0][])));
        }
        spec.password().ifPresent(pw -> attributes.add(new Attribute("userPassword", utf8(pw))));
        return new Entry(dn, attributes);
    }

    static Entry computer(String dn, ComputerSpec spec, String sid) {
        List<Attribute> attributes = new ArrayList<>();
        attributes.add(new Attribute("objectClass", "top", "user", "computer"));
        attributes.add(new Attribute("cn", spec.name()));
        attributes.add(new Attribute("sAMAccountName", spec.samAccountName()));
        attributes.add(new Attribute("objectSid", WindowsSid.parse(sid)));
        spec.dnsHostName().ifPresent(dns -> attributes.add(new Attribute("dNSHostName", dns)));
        if (!spec.groups().isEmpty()) {
            attributes.add(new Attribute("memberOf", spec.groups()));
        }
        int uac = WORKSTATION_TRUST_ACCOUNT | (spec.disabled() ? ACCOUNTDISABLE : 0);
        attributes.add(new Attribute("userAccountControl", Integer.toString(uac)));
        attributes.add(new Attribute("accountExpires", spec.accountExpires().map(AdEntries::fileTime).orElse("0")));
        return new Entry(dn, attributes);
    }

    static Entry group(String dn, String commonName, String[] parentGroupDns, String sid) {
        List<Attribute> attributes = new ArrayList<>(List.of(
                new Attribute("objectClass", "top", "group"),
                new Attribute("cn", commonName),
                new Attribute("sAMAccountName", commonName),
                new Attribute("objectSid", WindowsSid.parse(sid)),
                new Attribute("groupType", Integer.toString(GLOBAL_SECURITY_GROUP))));
        if (parentGroupDns.length > 0) {
            attributes.add(new Attribute("memberOf", parentGroupDns));
        }
        return new Entry(dn, attributes);
    }

    /** An instant as AD's Integer8 FILETIME (100 ns since 1601). */
    static String fileTime(Instant at) {
        Duration since = Duration.between(FILETIME_EPOCH, at);
        return Long.toString(since.getSeconds() * 10_000_000L + since.getNano() / 100);
    }

    static byte[] utf8(char[] chars) {
        return new String(chars).getBytes(StandardCharsets.UTF_8);
    }

    static String dnsDomain(DN base) {
        List<String> labels = new ArrayList<>();
        for (RDN rdn : base.getRDNs()) {
            if (rdn.getAttributeNames().length == 1 && rdn.getAttributeNames()[0].equalsIgnoreCase("dc")) {
                labels.add(rdn.getAttributeValues()[0].toLowerCase(Locale.ROOT));
            }
        }
        return String.join(".", labels);
    }

    static char[] randomPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        char[] password = new char[24];
        for (int i = 0; i < password.length; i++) {
            password[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return password;
    }

    /** The configuration partition's containers down to those under {@code CN=Public Key Services}, parents first. */
    static List<Entry> configurationContainers(String configurationDn) {
        List<Entry> entries = new ArrayList<>();
        String dn = configurationDn;
        entries.add(container(dn, "Configuration"));
        for (String cn : List.of("Services", "Public Key Services")) {
            dn = "CN=" + cn + "," + dn;
            entries.add(container(dn, cn));
        }
        // as a new forest has them (Samba's provision too); NTAuthCertificates appears with the first CA
        for (String cn : List.of("Certificate Templates", "Enrollment Services", "Certification Authorities", "AIA")) {
            entries.add(container("CN=" + cn + "," + dn, cn));
        }
        return entries;
    }

    private static Entry container(String dn, String cn) {
        return new Entry(dn, new Attribute("objectClass", "top", "container"), new Attribute("cn", cn));
    }
    static InMemoryListenerConfig listener(String listenAddress, SSLContext sslContext) throws LDAPException {
        InetAddress address;
        try {
            address = InetAddress.getByName(listenAddress);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        // Port 0: the system picks a free port, read back with getListenPort().
        if (sslContext == null) {
            return InMemoryListenerConfig.createLDAPConfig("ldap", address, 0, null);
        }
        return InMemoryListenerConfig.createLDAPSConfig("ldaps", address, 0,
                sslContext.getServerSocketFactory(), sslContext.getSocketFactory());
    }

    static Optional<String> objectSid(InMemoryDirectoryServer server, String dn) {
        try {
            Entry entry = server.getEntry(dn, "objectSid");
            if (entry == null || !entry.hasAttribute("objectSid")) {
                return Optional.empty();
            }
            return Optional.of(WindowsSid.format(entry.getAttribute("objectSid").getValueByteArray()));
        } catch (LDAPException e) {
            throw new IllegalArgumentException("cannot read " + dn + ": " + e.getResultCode(), e);
        }
    }

    /** Adds {@code memberDn} to the {@code member} of each group that exists here. */
    static void addMember(InMemoryDirectoryServer server, List<String> groups, String memberDn) throws LDAPException {
        for (String group : groups) {
            if (server.getEntry(group) != null) {
                server.modify(group, new Modification(ModificationType.ADD, "member", memberDn));
            }
        }
    }
}
