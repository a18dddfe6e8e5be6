package org.autoenroll.core.internal;

import java.math.BigInteger;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.tenant.Customer;
import org.autoenroll.core.tenant.Organization;
import org.autoenroll.core.tenant.TenantRegistry;

/** Checks that both enrollment and status reports make, so that each is written once. */
public final class SharedChecks {
    private SharedChecks() {
    }

    /**
     * The enabled customer with this URI.
     *
     * @throws EnrollmentException {@link ErrorCode#NO_CUSTOMER_URI} (1), {@link ErrorCode#CUSTOMER_INVALID} (2),
     *     {@link ErrorCode#CUSTOMER_DISABLED} (3)
     */
    public static Customer customer(TenantRegistry tenants, String uri) throws EnrollmentException {
        if (uri == null || uri.isBlank()) {
            throw new EnrollmentException(ErrorCode.NO_CUSTOMER_URI, "the request has no customerUri");
        }
        Customer customer = tenants.customer(uri.strip()).orElseThrow(() -> new EnrollmentException(
                ErrorCode.CUSTOMER_INVALID, "no customer has this customerUri"));
        if (!customer.enabled()) {
            throw new EnrollmentException(ErrorCode.CUSTOMER_DISABLED, "the customer is disabled");
        }
        return customer;
    }

    /**
     * Among the customer's AD servers (its default and those its live organizations are bound
     * to), the one whose Windows domain is {@code realm}.
     *
     * @throws EnrollmentException {@link ErrorCode#AD_SERVER_NOT_FOUND} (9) when none is bound,
     *     {@link ErrorCode#NO_MATCHED_AD_SERVER} (12) when none serves the realm or one is not configured
     */
    public static DirectoryRef adServerForRealm(TenantRegistry tenants, Customer customer, String realm) throws EnrollmentException {
        Set<String> serverIds = new LinkedHashSet<>();
        if (customer.defaultAdServerId() != null) {
            serverIds.add(customer.defaultAdServerId());
        }
        for (Organization organization : tenants.organizationsOf(customer.uri())) {
            if (!organization.deleted()) {
                organization.boundAdServerId().ifPresent(serverIds::add);
            }
        }
        if (serverIds.isEmpty()) {
            throw new EnrollmentException(ErrorCode.AD_SERVER_NOT_FOUND,
                    "neither the organization nor the customer is bound to an AD server");
        }
        for (String id : serverIds) {
            DirectoryRef server = tenants.directory(id).orElseThrow(() -> new EnrollmentException(ErrorCode.NO_MATCHED_AD_SERVER,
                    "the bound AD server " + id + " is not configured"));
            if (server.windowsDomain().equalsIgnoreCase(realm)) {
                return server;
            }
        }
        throw new EnrollmentException(ErrorCode.NO_MATCHED_AD_SERVER,
                "none of the customer's AD servers serves the ticket's realm " + realm);
    }

    /**
     * The caller's valid, unexpired certificate with this serial.
     *
     * @throws EnrollmentException {@link ErrorCode#INVALID_SERIAL} (24) when the serial is not hex,
     *     not found, not the caller's in this customer, or not valid now
     */
    public static CertificateRecord usableCertificateOf(CertificateStore certificates, String customerUri, String owner,
                                                        String serialHex, Clock clock) throws EnrollmentException {
        BigInteger serial = Serials.parse(serialHex);
        CertificateRecord record = certificates.find(serial)
                .filter(r -> r.customerUri().equals(customerUri) && r.owner().equals(owner))
                .orElseThrow(() -> new EnrollmentException(ErrorCode.INVALID_SERIAL,
                        "no certificate of the caller has this serial"));
        if (!record.isUsableAt(clock.instant())) {
            throw new EnrollmentException(ErrorCode.INVALID_SERIAL, "the certificate with this serial is revoked or expired");
        }
        return record;
    }
}
