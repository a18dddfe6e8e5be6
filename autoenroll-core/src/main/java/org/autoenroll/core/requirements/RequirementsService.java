package org.autoenroll.core.requirements;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.TemplateId;
import org.autoenroll.core.internal.SharedChecks;
import org.autoenroll.core.policy.CallerIdentities;
import org.autoenroll.core.policy.TemplateCatalog;
import org.autoenroll.core.requirements.RequirementsRules.Holding;
import org.autoenroll.core.tenant.Customer;
import org.autoenroll.core.tenant.TenantRegistry;

/**
 * The caller's requirements list, computed on the server: which templates it may autoenroll
 * (the Autoenroll right, deny beating allow, for its kind of account), what it holds (valid
 * certificates in the store, and in its {@code userCertificate} where the template says so, or
 * only those the client still reports holding), and what it waits for; then
 * {@link RequirementsRules}. Raises 1-3 (customer), 9/12 (AD server of the ticket's realm), 13/17
 * (directory), 45 (disabled or expired), 24 (a reported serial that is not hex). Reads at most a
 * few certificates per template, never all a caller ever held. Thread-safe.
 */
public final class RequirementsService {
    /** Certificates read per template: the newest decides. */
    static final int HELD_PER_TEMPLATE = 4;
    /** Requests to collect listed at most. */
    static final int WAITING_LIMIT = 20;
    /** Certificates a client may report holding in one call. */
    public static final int MAX_REPORTED = 200;

    private final TenantRegistry tenants;
    private final DirectoryLookup directory;
    private final TemplateCatalog catalog;
    private final CertificateStore certificates;
    private final Clock clock;

    public RequirementsService(TenantRegistry tenants, DirectoryLookup directory, TemplateCatalog catalog,
                               CertificateStore certificates, Clock clock) {
        this.tenants = Objects.requireNonNull(tenants, "tenants");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param reported what the client holds, when it says (POST); empty to let the server's records decide (GET)
     */
    public List<Action> requirements(AuthenticatedPrincipal caller, String customerUri,
                                     Optional<List<HeldCertificate>> reported) throws EnrollmentException {
        Customer customer = SharedChecks.customer(tenants, customerUri);
        if (reported.isPresent() && reported.get().size() > MAX_REPORTED) {
            throw new EnrollmentException(ErrorCode.MALFORMED_REQUEST, "at most " + MAX_REPORTED + " certificates may be reported");
        }
        DirectoryEntry entry = directory.findUser(SharedChecks.adServerForRealm(tenants, customer, caller.realm()), caller);
        Instant now = clock.instant();
        if (entry.disabled() || entry.accountExpires().filter(expiry -> !expiry.isAfter(now)).isPresent()) {
            throw new EnrollmentException(ErrorCode.ACCOUNT_DISABLED, "the account is disabled, locked or expired");
        }
        Set<String> identities = CallerIdentities.of(caller, entry);
        List<CertificateTemplate> autoenrollable = catalog.offered().stream()
                .filter(t -> t.autoenrollEnabled() && t.subjectType() == entry.type())
                .filter(t -> t.grants(AccessRule.Right.ENROLL, identities) && t.grants(AccessRule.Right.AUTOENROLL, identities))
                .toList();
        String owner = caller.principal();
        Map<BigInteger, HeldCertificate.LocalState> local = reported.isPresent() ? bySerial(reported.get()) : null;
        Map<String, List<Holding>> held = new HashMap<>();
        Map<String, BigInteger> revokedHeld = new HashMap<>();
        for (CertificateTemplate template : autoenrollable) {
            String key = template.name().toLowerCase(Locale.ROOT);
            List<Holding> holdings = new ArrayList<>();
            for (CertificateRecord record : certificates.findUsable(customer.uri(), owner, template.name(), now, HELD_PER_TEMPLATE)) {
                if (stillHeld(local, record.serial())) {
                    holdings.add(new Holding(record.serial(), record.notAfter(), majorRevisionOf(record.der())));
                }
            }
            if (template.checkDirectoryCertificates()) {
                holdings.addAll(fromDirectory(entry, template.id(), local, now));
            }
            held.put(key, holdings);
        }
        if (local != null) {
            for (BigInteger serial : local.keySet()) {
                certificates.find(serial).filter(r -> r.owner().equals(owner) && r.customerUri().equals(customer.uri())
                                && r.state() == CertificateState.REVOKED && r.profile() != null)
                        .ifPresent(r -> revokedHeld.put(r.profile().toLowerCase(Locale.ROOT), r.serial()));
            }
        }
        List<org.autoenroll.api.RequestRecord> waiting = certificates.findWaiting(customer.uri(), owner, WAITING_LIMIT)
                .stream().filter(r -> !r.isExpiredAt(now)).toList();
        return RequirementsRules.compute(autoenrollable, held, revokedHeld, waiting, now);
    }

    private static Map<BigInteger, HeldCertificate.LocalState> bySerial(List<HeldCertificate> reported)
            throws EnrollmentException {
        Map<BigInteger, HeldCertificate.LocalState> bySerial = new HashMap<>();
        for (HeldCertificate certificate : reported) {
            bySerial.put(org.autoenroll.core.internal.Serials.parse(certificate.serial()), certificate.state());
        }
        return bySerial;
    }

    /** Without a report every valid certificate counts; with one, only those the client holds with their key. */
    private static boolean stillHeld(Map<BigInteger, HeldCertificate.LocalState> local, BigInteger serial) {
        return local == null || local.get(serial) == HeldCertificate.LocalState.VALID;
    }

    private static List<Holding> fromDirectory(DirectoryEntry entry, TemplateId template,
                                               Map<BigInteger, HeldCertificate.LocalState> local, Instant now) {
        List<Holding> holdings = new ArrayList<>();
        for (byte[] der : entry.certificates()) {
            Optional<X509Certificate> parsed = TemplateOfCertificate.parse(der);
            if (parsed.isEmpty()) {
                continue;
            }
            X509Certificate certificate = parsed.get();
            Optional<TemplateId> id = TemplateOfCertificate.of(certificate);
            boolean valid = !now.isBefore(certificate.getNotBefore().toInstant()) && now.isBefore(certificate.getNotAfter().toInstant());
            if (id.isPresent() && id.get().oid().equals(template.oid()) && valid
                    && stillHeld(local, certificate.getSerialNumber())) {
                holdings.add(new Holding(certificate.getSerialNumber(), certificate.getNotAfter().toInstant(),
                        id.get().majorRevision()));
            }
        }
        return holdings;
    }

    private static int majorRevisionOf(byte[] der) {
        return TemplateOfCertificate.parse(der).flatMap(TemplateOfCertificate::of).map(TemplateId::majorRevision).orElse(0);
    }
}
