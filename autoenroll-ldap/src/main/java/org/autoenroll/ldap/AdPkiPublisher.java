package org.autoenroll.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldif.LDIFChangeRecord;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/**
 * Publishes a CA into Active Directory the way AD CS does, so that Windows and Samba clients find
 * it: under {@code CN=Public Key Services,CN=Services,<configurationNamingContext>} (read from the
 * root DSE) it writes
 * <ul>
 *   <li>{@code CN=<CA>,CN=Enrollment Services} ({@code pKIEnrollmentService}: {@code dNSHostName},
 *       {@code cACertificate}, {@code cACertificateDN}, {@code certificateTemplates},
 *       {@code msPKI-Enrollment-Servers});</li>
 *   <li>{@code CN=<CA>,CN=Certification Authorities} and {@code CN=<CA>,CN=AIA}
 *       ({@code certificationAuthority}: the CA certificate among their {@code cACertificate} values;
 *       the revocation lists AD requires are a single zero byte, as AD CS writes them, and never
 *       touched afterwards);</li>
 *   <li>the CA certificate among the values of {@code CN=NTAuthCertificates};</li>
 *   <li>{@code CN=<template>,CN=Certificate Templates} for each template ({@link AdTemplateEntries}),
 *       its DACL written with the SD_FLAGS control (the directory keeps owner, group and SACL).</li>
 * </ul>
 * Missing containers are created. Each object is read first and only what differs is written:
 * a second run writes nothing ({@link Outcome#UNCHANGED}). Other CAs' certificates in the shared
 * objects are kept. {@link #plan} only reads (a dry run); {@link #publish} reads and writes, over
 * the pools of an {@link LdapDirectoryLookup} (bind as the record's account, never anonymous).
 *
 * <p>Raises {@link ErrorCode#AD_UNAVAILABLE} when the directory cannot be reached, bound, read or
 * written (the detail names the result code, e.g. insufficientAccessRights for an account that
 * may not write the Configuration partition). Thread-safe.
 */
public final class AdPkiPublisher {
    static final String PUBLIC_KEY_SERVICES = "CN=Public Key Services,CN=Services";
    /** A single zero byte: what AD CS writes for the revocation lists certificationAuthority requires. */
    private static final byte[] EMPTY_LIST = {0};

    private final LdapDirectoryLookup lookup;

    /** Writes over {@code lookup}'s pools; the lookup stays the owner (close it, not this). */
    public AdPkiPublisher(LdapDirectoryLookup lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /** What became of one object. */
    public enum Outcome {
        ADDED, CHANGED, UNCHANGED
    }

    /**
     * One object: its DN, what is (or would be) done, and the LDIF change records that do it (none
     * when unchanged).
     */
    public record Change(String dn, Outcome outcome, List<LDIFChangeRecord> records) {
        public Change {
            records = List.copyOf(records);
        }
    }

    /** The changes, in the order they are applied (parents first). */
    public record Plan(String configurationDn, List<Change> changes) {
        public Plan {
            changes = List.copyOf(changes);
        }

        /** True when nothing is to be written. */
        public boolean unchanged() {
            return changes.stream().allMatch(c -> c.outcome() == Outcome.UNCHANGED);
        }

        /** The change records as LDIF (RFC 2849), each record followed by an empty line. */
        public String ldif() {
            StringBuilder out = new StringBuilder();
            for (Change change : changes) {
                for (LDIFChangeRecord record : change.records()) {
                    record.toLDIFString(out, 78);
                    out.append('\n');
                }
            }
            return out.toString();
        }
    }

    /**
     * Reads what is there and says what {@link #publish} would write; writes nothing.
     *
     * @throws EnrollmentException {@link ErrorCode#AD_UNAVAILABLE} when the directory cannot be read
     */
    public Plan plan(AdServer server, AdPkiPublication publication) throws EnrollmentException {
        Objects.requireNonNull(publication, "publication");
        return lookup.execute(server, "publication read", connection -> plan(connection, publication));
    }

    /**
     * Writes what differs and returns what was done.
     *
     * @throws EnrollmentException {@link ErrorCode#AD_UNAVAILABLE} when the directory cannot be read or
     *     refuses a write; what was written before stays (a new run completes it)
     */
    public Plan publish(AdServer server, AdPkiPublication publication) throws EnrollmentException {
        Objects.requireNonNull(publication, "publication");
        return lookup.execute(server, "publication", connection -> {
            Plan plan = plan(connection, publication);
            for (Change change : plan.changes()) {
                for (LDIFChangeRecord record : change.records()) {
                    try {
                        record.processChange(connection, true);
                    } catch (LDAPException e) {
                        if (!e.getResultCode().isConnectionUsable()) {
                            throw e; // the lookup's retry and error mapping
                        }
                        throw refused(server, record, e.getResultCode());
                    }
                }
            }
            return plan;
        });
    }

    private Plan plan(LDAPInterface connection, AdPkiPublication p) throws LDAPException {
        String configurationDn = configurationDn(connection);
        DN services = new DN(PUBLIC_KEY_SERVICES + "," + configurationDn);
        List<DesiredEntry> desired = new ArrayList<>();
        desired.add(DesiredEntry.container(services.toString(), "Public Key Services"));
        for (String container : List.of("Enrollment Services", "Certification Authorities", "AIA", "Certificate Templates")) {
            desired.add(DesiredEntry.container(child(services, container).toString(), container));
        }
        desired.add(enrollmentService(services, p));
        desired.add(certificationAuthority(child(services, "Certification Authorities"), p.caName(), p.caCertificate()));
        desired.add(certificationAuthority(child(services, "AIA"), p.caName(), p.caCertificate()));
        desired.add(certificationAuthority(services, "NTAuthCertificates", p.caCertificate()));
        DN templates = child(services, "Certificate Templates");
        for (CertificateTemplate template : p.templates()) {
            desired.add(DesiredEntry.template(AdTemplateEntries.entry(templates.toString(), template)));
        }
        List<Change> changes = new ArrayList<>(desired.size());
        for (DesiredEntry entry : desired) {
            changes.add(entry.diff(connection, lookup.settings()));
        }
        return new Plan(configurationDn, changes);
    }

    /** A write the directory refused, naming the object and the result, never the server's text. */
    private static EnrollmentException refused(AdServer server, LDIFChangeRecord record, ResultCode code) {
        String hint = code == ResultCode.INSUFFICIENT_ACCESS_RIGHTS
                ? ": " + server.bindDn() + " may not write the Configuration partition (bind as an Enterprise Admin)" : "";
        return new EnrollmentException(ErrorCode.AD_UNAVAILABLE, "AD server " + server.id() + " " + server.hosts() + ": "
                + record.getChangeType().getName() + " of " + record.getDN() + " refused (result " + code.intValue() + " "
                + code.getName() + ")" + hint);
    }

    private static DesiredEntry enrollmentService(DN services, AdPkiPublication p) {
        String dn = child(child(services, "Enrollment Services"), p.caName()).toString();
        List<Attribute> replaced = new ArrayList<>(List.of(
                new Attribute("dNSHostName", p.dnsHostName()),
                new Attribute("cACertificate", p.caCertificate()),
                new Attribute("cACertificateDN", subject(p.caCertificate()))));
        if (!p.templates().isEmpty()) {
            replaced.add(new Attribute("certificateTemplates", p.templates().stream().map(CertificateTemplate::name).toList()));
        }
        if (!p.enrollmentServers().isEmpty()) {
            replaced.add(new Attribute("msPKI-Enrollment-Servers",
                    p.enrollmentServers().stream().map(AdPkiPublication.EnrollmentServer::value).toList()));
        }
        return new DesiredEntry(dn, List.of("top", "pKIEnrollmentService"), p.caName(), replaced, List.of(), List.of(), null);
    }

    /** A certificationAuthority object under {@code parent} that holds {@code certificate} among its values. */
    private static DesiredEntry certificationAuthority(DN parent, String cn, byte[] certificate) {
        return new DesiredEntry(child(parent, cn).toString(), List.of("top", "certificationAuthority"), cn, List.of(),
                List.of(new Attribute("cACertificate", certificate)),
                List.of(new Attribute("authorityRevocationList", EMPTY_LIST),
                        new Attribute("certificateRevocationList", EMPTY_LIST)), null);
    }

    /** {@code CN=<cn>,<parent>}, the value escaped by the RDN. */
    static DN child(DN parent, String cn) {
        return new DN(new RDN("CN", cn), parent);
    }

    /** The CA's subject as {@code cACertificateDN} holds it. */
    static String subject(byte[] der) {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the CA certificate is not an X.509 certificate: " + e.getMessage());
        }
    }

    /** The root DSE's configurationNamingContext. */
    private String configurationDn(LDAPInterface connection) throws LDAPException {
        return RootDse.configurationNamingContext(connection, lookup.settings().responseTimeout(), "is this Active Directory?");
    }
}
