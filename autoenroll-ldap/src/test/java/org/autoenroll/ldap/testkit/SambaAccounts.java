package org.autoenroll.ldap.testkit;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.autoenroll.ldap.WindowsSid;

/**
 * How {@link SambaDcFixture} adds accounts: {@code samba-tool} creates them (so Samba assigns SIDs,
 * primary groups and keys as a DC does), and what samba-tool does not set is written over LDAP as
 * Administrator.
 *
 * <p>Stateless; thread-safe as the fixture is.
 */
final class SambaAccounts {
    static final String COMPUTERS_DN = "CN=Computers," + SambaDcFixture.BASE_DN;
    private static final Instant FILETIME_EPOCH = Instant.parse("1601-01-01T00:00:00Z");

    private SambaAccounts() {
    }

    static String addUser(SambaDcFixture samba, UserSpec spec) {
        Objects.requireNonNull(spec, "spec");
        String sam = spec.samAccountName();
        List<String> create = new ArrayList<>(List.of("user", "create", sam,
                spec.password().map(String::new).orElseGet(() -> new String(SambaDcFixture.complexPassword())),
                "--use-username-as-cn"));
        spec.mail().ifPresent(mail -> create.add("--mail-address=" + mail));
        samba.tool(create.toArray(new String[0]));
        if (spec.disabled()) {
            samba.tool("user", "disable", sam);
        }
        for (String group : spec.groups()) {
            samba.tool("group", "addmembers", samba.groupName(group), sam);
        }
        String dn = SambaDcFixture.dn(sam);
        try (LDAPConnection admin = samba.connectAsAdmin()) {
            List<Modification> changes = new ArrayList<>();
            if (!spec.defaultUserPrincipalName()) {
                // samba-tool writes sam@realm in lower case; an explicit UPN (or none) replaces it.
                changes.add(spec.userPrincipalName()
                        .map(upn -> new Modification(ModificationType.REPLACE, "userPrincipalName", upn))
                        .orElseGet(() -> new Modification(ModificationType.REPLACE, "userPrincipalName")));
            }
            if (!spec.proxyAddresses().isEmpty()) {
                changes.add(new Modification(ModificationType.ADD, "proxyAddresses", spec.proxyAddresses().toArray(new String[0])));
            }
            List<byte[]> certificates = new ArrayList<>(spec.certificates());
            certificates.addAll(spec.binaryCertificates());
            if (!certificates.isEmpty()) {
                changes.add(new Modification(ModificationType.ADD, "userCertificate", certificates.toArray(new byte[0][])));
            }
            spec.accountExpires().ifPresent(at ->
                    changes.add(new Modification(ModificationType.REPLACE, "accountExpires", fileTime(at))));
            if (!changes.isEmpty()) {
                admin.modify(dn, changes);
            }
            if (!spec.commonName().equals(sam)) {
                admin.modifyDN(dn, new RDN("CN", spec.commonName()).toString(), true);
                dn = SambaDcFixture.dn(spec.commonName());
            }
            return dn;
        } catch (LDAPException e) {
            throw new IllegalArgumentException("cannot complete user " + sam + ": " + e.getResultCode()
                    + " " + e.getDiagnosticMessage(), e);
        }
    }

    static String addComputer(SambaDcFixture samba, ComputerSpec spec) {
        Objects.requireNonNull(spec, "spec");
        // --prepare-oldjoin: an enabled account with a password, as after a join (without it Samba leaves it disabled)
        samba.tool("computer", "create", spec.name(), "--prepare-oldjoin");
        for (String group : spec.groups()) {
            samba.tool("group", "addmembers", samba.groupName(group), spec.samAccountName());
        }
        String dn = new DN(new RDN("CN", spec.name()), dnOf(COMPUTERS_DN)).toString();
        try (LDAPConnection admin = samba.connectAsAdmin()) {
            List<Modification> changes = new ArrayList<>();
            spec.dnsHostName().ifPresent(dns -> changes.add(new Modification(ModificationType.REPLACE, "dNSHostName", dns)));
            spec.accountExpires().ifPresent(at ->
                    changes.add(new Modification(ModificationType.REPLACE, "accountExpires", fileTime(at))));
            if (spec.disabled()) {
                // WORKSTATION_TRUST_ACCOUNT | ACCOUNTDISABLE
                changes.add(new Modification(ModificationType.REPLACE, "userAccountControl", Integer.toString(0x1000 | 0x2)));
            }
            if (!changes.isEmpty()) {
                admin.modify(dn, changes);
            }
            return dn;
        } catch (LDAPException e) {
            throw new IllegalArgumentException("cannot complete computer " + spec.name() + ": " + e.getResultCode()
                    + " " + e.getDiagnosticMessage(), e);
        }
    }

    static Optional<String> objectSid(SambaDcFixture samba, String dn) {
        try (LDAPConnection admin = samba.connectAsAdmin()) {
            SearchResultEntry entry = admin.getEntry(dn, "objectSid");
            if (entry == null || !entry.hasAttribute("objectSid")) {
                return Optional.empty();
            }
            return Optional.of(WindowsSid.format(entry.getAttribute("objectSid").getValueByteArray()));
        } catch (LDAPException e) {
            throw new IllegalArgumentException("cannot read " + dn + ": " + e.getResultCode(), e);
        }
    }

    /** An instant as AD's Integer8 FILETIME (100 ns since 1601). */
    static String fileTime(Instant at) {
        Duration since = Duration.between(FILETIME_EPOCH, at);
        return Long.toString(since.getSeconds() * 10_000_000L + since.getNano() / 100);
    }

    private static DN dnOf(String dn) {
        try {
            return new DN(dn);
        } catch (LDAPException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
