package org.autoenroll.ldap.testkit;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.autoenroll.ldap.WindowsSid;

/**
 * The schema and the entries of {@link SlapdFixture}: users, computers and groups as AD shows
 * them, each with an {@code objectSid} (slapd has no {@code tokenGroups}: a lookup reads the
 * groups' SIDs). {@code memberOf} is the overlay's to write: only the groups' {@code member} is set.
 *
 * <p>Stateless; thread-safe as the fixture is.
 */
final class SlapdAccounts {
    private static final String STRING = " EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch"
            + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.15";
    private static final String INTEGER = " EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE";

    /** AD attribute types and classes with Microsoft's OIDs (MS-ADA1..3, MS-ADSC); memberOf comes from the overlay. */
    static final String SCHEMA = String.join("\n",
            "attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName'" + STRING + " SINGLE-VALUE )",
            "attributetype ( 1.2.840.113556.1.4.656 NAME 'userPrincipalName'" + STRING + " SINGLE-VALUE )",
            "attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl'" + INTEGER + " )",
            "attributetype ( 1.2.840.113556.1.2.210 NAME 'proxyAddresses'" + STRING + " )",
            "attributetype ( 1.2.840.113556.1.4.750 NAME 'groupType'" + INTEGER + " )",
            "attributetype ( 1.2.840.113556.1.4.146 NAME 'objectSid' EQUALITY octetStringMatch"
                    + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )",
            "attributetype ( 1.2.840.113556.1.4.619 NAME 'dNSHostName'" + STRING + " SINGLE-VALUE )",
            "attributetype ( 1.2.840.113556.1.4.159 NAME 'accountExpires'" + INTEGER + " )",
            "objectclass ( 1.2.840.113556.1.5.9 NAME 'user' SUP top STRUCTURAL MUST cn MAY ( sAMAccountName $"
                    + " userPrincipalName $ userAccountControl $ proxyAddresses $ mail $ userCertificate $ sn $"
                    + " givenName $ displayName $ userPassword $ description $ objectSid $ accountExpires ) )",
            "objectclass ( 1.2.840.113556.1.3.30 NAME 'computer' SUP user STRUCTURAL MAY dNSHostName )",
            "objectclass ( 1.2.840.113556.1.5.8 NAME 'group' SUP top STRUCTURAL MUST cn MAY ( sAMAccountName $"
                    + " member $ groupType $ mail $ description $ objectSid ) )",
            "objectclass ( 1.2.840.113556.1.3.23 NAME 'container' SUP top STRUCTURAL MUST cn MAY description )",
            "");

    private SlapdAccounts() {
    }

    static String addGroup(SlapdFixture slapd, String commonName, String[] parentGroupDns, String sid) {
        Objects.requireNonNull(commonName, "commonName");
        try (LDAPConnection admin = slapd.connectAsAdmin()) {
            String dn = new DN(new RDN("CN", commonName), new DN(slapd.usersDn())).toString();
            admin.add(new Entry(dn,
                    new Attribute("objectClass", "top", "group"),
                    new Attribute("cn", commonName),
                    new Attribute("sAMAccountName", commonName),
                    new Attribute("objectSid", WindowsSid.parse(sid)),
                    new Attribute("groupType", Integer.toString(0x80000002))));
            addMember(admin, List.of(parentGroupDns), dn);
            return dn;
        } catch (LDAPException e) {
            throw new IllegalArgumentException("cannot add group " + commonName + ": " + e.getResultCode(), e);
        }
    }

    static String addUser(SlapdFixture slapd, UserSpec spec, String sid) {
        Objects.requireNonNull(spec, "spec");
        try (LDAPConnection admin = slapd.connectAsAdmin()) {
            String dn = new DN(new RDN("CN", spec.commonName()), new DN(slapd.usersDn())).toString();
            List<Attribute> attributes = new ArrayList<>();
            attributes.add(new Attribute("objectClass", "top", "user"));
            attributes.add(new Attribute("cn", spec.commonName()));
            attributes.add(new Attribute("sAMAccountName", spec.samAccountName()));
            attributes.add(new Attribute("objectSid", WindowsSid.parse(sid)));
            String upn = spec.defaultUserPrincipalName() ? spec.samAccountName() + "@" + slapd.dnsDomain()
                    : spec.userPrincipalName().orElse(null);
            if (upn != null) {
                attributes.add(new Attribute("userPrincipalName", upn));
            }
            spec.mail().ifPresent(mail -> attributes.add(new Attribute("mail", mail)));
            if (!spec.proxyAddresses().isEmpty()) {
                attributes.add(new Attribute("proxyAddresses", spec.proxyAddresses()));
            }
            int uac = SlapdFixture.NORMAL_ACCOUNT | (spec.disabled() ? SlapdFixture.ACCOUNTDISABLE : 0);
            attributes.add(new Attribute("userAccountControl", Integer.toString(uac)));
            spec.accountExpires().ifPresent(at -> attributes.add(new Attribute("accountExpires", SambaAccounts.fileTime(at))));
            // OpenLDAP's certificate syntax insists on the ;binary transfer option.
            List<byte[]> certificates = new ArrayList<>(spec.certificates());
            certificates.addAll(spec.binaryCertificates());
            if (!certificates.isEmpty()) {
                attributes.add(new Attribute("userCertificate;binary", certificates.toArray(new byte[0][])));
            }
            spec.password().ifPresent(pw -> attributes.add(new Attribute("userPassword", new String(pw))));
            admin.add(new Entry(dn, attributes));
            addMember(admin, spec.groups(), dn);
            return dn;
        } catch (LDAPException e) {
            throw new IllegalArgumentException("cannot add user " + spec.samAccountName() + ": " + e.getResultCode(), e);
        }
    }

    static String addComputer(SlapdFixture slapd, ComputerSpec spec, String sid) {
        Objects.requireNonNull(spec, "spec");
        try (LDAPConnection admin = slapd.connectAsAdmin()) {
            String dn = new DN(new RDN("CN", spec.name()), new DN(slapd.computersDn())).toString();
            List<Attribute> attributes = new ArrayList<>();
            attributes.add(new Attribute("objectClass", "top", "user", "computer"));
            attributes.add(new Attribute("cn", spec.name()));
            attributes.add(new Attribute("sAMAccountName", spec.samAccountName()));
            attributes.add(new Attribute("objectSid", WindowsSid.parse(sid)));
            spec.dnsHostName().ifPresent(dns -> attributes.add(new Attribute("dNSHostName", dns)));
            // WORKSTATION_TRUST_ACCOUNT, plus ACCOUNTDISABLE
            attributes.add(new Attribute("userAccountControl", Integer.toString(0x1000 | (spec.disabled() ? 0x2 : 0))));
            attributes.add(new Attribute("accountExpires", spec.accountExpires().map(SambaAccounts::fileTime).orElse("0")));
            admin.add(new Entry(dn, attributes));
            addMember(admin, spec.groups(), dn);
            return dn;
        } catch (LDAPException e) {
            throw new IllegalArgumentException("cannot add computer " + spec.name() + ": " + e.getResultCode(), e);
        }
    }

    static Optional<String> objectSid(SlapdFixture slapd, String dn) {
        try (LDAPConnection admin = slapd.connectAsAdmin()) {
            SearchResultEntry entry = admin.getEntry(dn, "objectSid");
            if (entry == null || !entry.hasAttribute("objectSid")) {
                return Optional.empty();
            }
            return Optional.of(WindowsSid.format(entry.getAttribute("objectSid").getValueByteArray()));
        } catch (LDAPException e) {
            throw new IllegalArgumentException("cannot read " + dn + ": " + e.getResultCode(), e);
        }
    }

    private static void addMember(LDAPConnection admin, List<String> groups, String memberDn) throws LDAPException {
        for (String group : groups) {
            admin.modify(group, new Modification(ModificationType.ADD, "member", memberDn));
        }
    }
}
