package org.autoenroll.api;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a certificate is made: the policy picks one (usually a {@link CertificateTemplate}'s), the
 * signer follows it.
 *
 * @param name a stable name, recorded with each certificate: the template's name
 * @param validity how long an issued certificate is valid
 * @param renewalWindow how long before expiry a holder may renew
 * @param publishToDirectory add the certificate to the user's {@code userCertificate} in AD
 * @param keyUsage the key usage bits; empty means "by key algorithm" (RSA: digitalSignature and
 *     keyEncipherment, EC: digitalSignature and keyAgreement)
 * @param extendedKeyUsages EKU OIDs in dotted form (application policies)
 * @param subjectNames the names to write, each taken from the directory
 * @param template the template extension 1.3.6.1.4.1.311.21.7 to write, if any
 * @since 0.1
 */
public record CertificateProfile(String name, Duration validity, Duration renewalWindow, boolean publishToDirectory,
                                 Set<KeyUsageBit> keyUsage, List<String> extendedKeyUsages,
                                 Set<SubjectName> subjectNames, Optional<TemplateId> template) {
    /** id-kp-clientAuth. */
    public static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    /** id-kp-serverAuth. */
    public static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    /** id-kp-emailProtection (S/MIME). */
    public static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    /** Microsoft's smart card logon. */
    public static final String SMART_CARD_LOGON = "1.3.6.1.4.1.311.20.2.2";

    private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]{0,9})){1,30}");

    public CertificateProfile {
        Objects.requireNonNull(name, "name");
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("profile " + name + ": validity must be positive");
        }
        if (renewalWindow == null || renewalWindow.isNegative() || renewalWindow.compareTo(validity) > 0) {
            throw new IllegalArgumentException("profile " + name + ": renewal window must be between 0 and the validity");
        }
        keyUsage = keyUsage.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(keyUsage));
        extendedKeyUsages = List.copyOf(extendedKeyUsages);
        for (String eku : extendedKeyUsages) {
            if (!OID.matcher(eku).matches()) {
                throw new IllegalArgumentException("profile " + name + ": EKU " + eku + " is not a dotted OID");
            }
        }
        subjectNames = subjectNames.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(subjectNames));
        if (!subjectNames.contains(SubjectName.COMMON_NAME) && !subjectNames.contains(SubjectName.EMAIL)
                && !subjectNames.contains(SubjectName.DNS) && !subjectNames.contains(SubjectName.UPN)) {
            throw new IllegalArgumentException("profile " + name + ": a certificate needs at least one name");
        }
        Objects.requireNonNull(template, "template");
    }

    /**
     * The profile of the seed's single-template certificate manager: a user certificate for S/MIME
     * and client authentication with the CN, e-mail, UPN and SID from the directory.
     */
    public CertificateProfile(String name, Duration validity, Duration renewalWindow, boolean publishToDirectory) {
        this(name, validity, renewalWindow, publishToDirectory, Set.of(), List.of(CLIENT_AUTH, EMAIL_PROTECTION),
                EnumSet.of(SubjectName.COMMON_NAME, SubjectName.EMAIL, SubjectName.UPN, SubjectName.SID_EXTENSION),
                Optional.empty());
    }

    public boolean writes(SubjectName subjectName) {
        return subjectNames.contains(subjectName);
    }
}
