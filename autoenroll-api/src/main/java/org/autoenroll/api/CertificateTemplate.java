package org.autoenroll.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A certificate template, the unit of policy as in AD CS (MS-CRTD): who may enroll and autoenroll,
 * which keys it accepts, what the certificate says, how long it lives and when it is renewed,
 * which templates it supersedes, whether a manager must approve. Whether it comes from the
 * configuration or from AD's {@code pKICertificateTemplate} objects, the policy sees this model.
 *
 * <p>Immutable and thread-safe; built with {@link #builder(String)}, which checks everything in
 * {@link Builder#build()}.
 *
 * @since 0.2
 */
public final class CertificateTemplate {
    private final String name;
    private final TemplateId id;
    private final SubjectType subjectType;
    private final Duration validity;
    private final Duration renewalWindow;
    private final KeyRules keyRules;
    private final Set<KeyUsageBit> keyUsage;
    private final List<String> extendedKeyUsages;
    private final Set<SubjectName> subjectNames;
    private final List<AccessRule> accessRules;
    private final List<String> supersedes;
    private final boolean requiresApproval;
    private final boolean publishToDirectory;
    private final boolean renewalOnly;
    private final boolean checkDirectoryCertificates;
    private final boolean autoenrollEnabled;
    private final CertificateProfile profile;

    private CertificateTemplate(Builder b) {
        this.name = b.name;
        this.id = b.id;
        this.subjectType = b.subjectType;
        this.validity = b.validity;
        this.renewalWindow = b.renewalWindow;
        this.keyRules = b.keyRules;
        this.keyUsage = b.keyUsage.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(b.keyUsage));
        this.extendedKeyUsages = List.copyOf(b.extendedKeyUsages);
        this.subjectNames = Set.copyOf(EnumSet.copyOf(b.subjectNames));
        this.accessRules = List.copyOf(b.accessRules);
        this.supersedes = List.copyOf(b.supersedes);
        this.requiresApproval = b.requiresApproval;
        this.publishToDirectory = b.publishToDirectory;
        this.renewalOnly = b.renewalOnly;
        this.checkDirectoryCertificates = b.checkDirectoryCertificates;
        this.autoenrollEnabled = b.autoenrollEnabled;
        this.profile = new CertificateProfile(name, validity, renewalWindow, publishToDirectory, keyUsage,
                extendedKeyUsages, subjectNames, Optional.of(id));
    }

    /** A builder for the template called {@code name} (its {@code cn} in AD). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this template's values, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder(name).id(id).subjectType(subjectType).validity(validity).renewalWindow(renewalWindow)
                .keyRules(keyRules).extendedKeyUsages(extendedKeyUsages).subjectNames(subjectNames)
                .accessRules(accessRules).supersedes(supersedes).requiresApproval(requiresApproval)
                .publishToDirectory(publishToDirectory).renewalOnly(renewalOnly)
                .checkDirectoryCertificates(checkDirectoryCertificates).autoenrollEnabled(autoenrollEnabled);
        b.keyUsage.addAll(keyUsage);
        return b;
    }

    public String name() {
        return name;
    }

    public TemplateId id() {
        return id;
    }

    public SubjectType subjectType() {
        return subjectType;
    }

    public Duration validity() {
        return validity;
    }

    /** How long before expiry a holder renews ({@code pKIOverlapPeriod}). */
    public Duration renewalWindow() {
        return renewalWindow;
    }

    public KeyRules keyRules() {
        return keyRules;
    }

    public Set<KeyUsageBit> keyUsage() {
        return keyUsage;
    }

    public List<String> extendedKeyUsages() {
        return extendedKeyUsages;
    }

    public Set<SubjectName> subjectNames() {
        return subjectNames;
    }

    /** The template's ACL: deny beats allow; no matching allow means no right. */
    public List<AccessRule> accessRules() {
        return accessRules;
    }

    /** Names of the templates this one replaces ({@code msPKI-Supersede-Templates}). */
    public List<String> supersedes() {
        return supersedes;
    }

    /** Requests pend until an operator approves them (CT_FLAG_PEND_ALL_REQUESTS, or RA signatures). */
    public boolean requiresApproval() {
        return requiresApproval;
    }

    /** Issued certificates go into the owner's {@code userCertificate} (CT_FLAG_PUBLISH_TO_DS). */
    public boolean publishToDirectory() {
        return publishToDirectory;
    }

    /** Only renewals of a valid certificate of this template are accepted. */
    public boolean renewalOnly() {
        return renewalOnly;
    }

    /**
     * A certificate in the owner's {@code userCertificate} counts as held
     * (CT_FLAG_AUTO_ENROLLMENT_CHECK_USER_DS_CERTIFICATE).
     */
    public boolean checkDirectoryCertificates() {
        return checkDirectoryCertificates;
    }

    /** The template allows autoenrollment at all (CT_FLAG_AUTO_ENROLLMENT); the ACL still decides who. */
    public boolean autoenrollEnabled() {
        return autoenrollEnabled;
    }

    /** The profile a signer follows for this template. */
    public CertificateProfile profile() {
        return profile;
    }

    /**
     * Whether a caller holding {@code identities} (lower-case SIDs, group DNs and names) has
     * {@code right}: some allow rule applies and no deny rule does. A deny of ENROLL also denies
     * AUTOENROLL, as autoenrollment is enrollment.
     */
    public boolean grants(AccessRule.Right right, Set<String> identities) {
        boolean allowed = false;
        for (AccessRule rule : accessRules) {
            if (!rule.appliesTo(identities)) {
                continue;
            }
            boolean relevant = rule.right() == right || (!rule.allow() && rule.right() == AccessRule.Right.ENROLL);
            if (!relevant) {
                continue;
            }
            if (!rule.allow()) {
                return false;
            }
            allowed = true;
        }
        return allowed;
    }

    @Override
    public String toString() {
        return name + " (" + id.oid() + " v" + id.majorRevision() + "." + id.minorRevision() + ")";
    }

    /** Collects a template's values; {@link #build()} checks them all. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private TemplateId id;
        private SubjectType subjectType = SubjectType.USER;
        private Duration validity = Duration.ofDays(365);
        private Duration renewalWindow = Duration.ofDays(42);
        private KeyRules keyRules = KeyRules.standard();
        private final Set<KeyUsageBit> keyUsage = EnumSet.noneOf(KeyUsageBit.class);
        private List<String> extendedKeyUsages = List.of(CertificateProfile.CLIENT_AUTH);
        private Set<SubjectName> subjectNames;
        private List<AccessRule> accessRules = new ArrayList<>();
        private List<String> supersedes = List.of();
        private boolean requiresApproval;
        private boolean publishToDirectory;
        private boolean renewalOnly;
        private boolean checkDirectoryCertificates;
        private boolean autoenrollEnabled = true;

        private Builder(String name) {
            this.name = name;
        }

        /** Required: the template's OID and revisions. */
        public Builder id(TemplateId value) {
            id = value;
            return this;
        }

        public Builder subjectType(SubjectType value) {
            subjectType = value;
            return this;
        }

        public Builder validity(Duration value) {
            validity = value;
            return this;
        }

        public Builder renewalWindow(Duration value) {
            renewalWindow = value;
            return this;
        }

        public Builder keyRules(KeyRules value) {
            keyRules = value;
            return this;
        }

        public Builder keyUsage(KeyUsageBit... bits) {
            keyUsage.clear();
            keyUsage.addAll(List.of(bits));
            return this;
        }

        public Builder extendedKeyUsages(List<String> oids) {
            extendedKeyUsages = List.copyOf(oids);
            return this;
        }

        /** Default: CN, UPN and SID extension (users, plus e-mail); CN, DNS and SID extension (computers). */
        public Builder subjectNames(Set<SubjectName> names) {
            subjectNames = names.isEmpty() ? EnumSet.noneOf(SubjectName.class) : EnumSet.copyOf(names);
            return this;
        }

        public Builder accessRules(List<AccessRule> rules) {
            accessRules = new ArrayList<>(rules);
            return this;
        }

        public Builder allow(String trustee, AccessRule.Right right) {
            accessRules.add(AccessRule.allow(trustee, right));
            return this;
        }

        public Builder deny(String trustee, AccessRule.Right right) {
            accessRules.add(AccessRule.deny(trustee, right));
            return this;
        }

        public Builder supersedes(List<String> templateNames) {
            supersedes = List.copyOf(templateNames);
            return this;
        }

        public Builder requiresApproval(boolean value) {
            requiresApproval = value;
            return this;
        }

        public Builder publishToDirectory(boolean value) {
            publishToDirectory = value;
            return this;
        }

        public Builder renewalOnly(boolean value) {
            renewalOnly = value;
            return this;
        }

        public Builder checkDirectoryCertificates(boolean value) {
            checkDirectoryCertificates = value;
            return this;
        }

        public Builder autoenrollEnabled(boolean value) {
            autoenrollEnabled = value;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the template and what is missing or wrong
         */
        public CertificateTemplate build() {
            if (name == null || name.isBlank() || name.length() > 64 || !name.strip().equals(name)) {
                throw new IllegalArgumentException("a template needs a name of 1-64 characters without outer spaces");
            }
            String what = "template " + name + ": ";
            if (id == null) {
                throw new IllegalArgumentException(what + "an OID and revision (id) is required");
            }
            Objects.requireNonNull(subjectType, what + "subjectType");
            Objects.requireNonNull(keyRules, what + "keyRules");
            if (subjectNames == null) {
                subjectNames = subjectType == SubjectType.USER
                        ? EnumSet.of(SubjectName.COMMON_NAME, SubjectName.EMAIL, SubjectName.UPN, SubjectName.SID_EXTENSION)
                        : EnumSet.of(SubjectName.COMMON_NAME, SubjectName.DNS, SubjectName.SID_EXTENSION);
            }
            if (subjectType == SubjectType.COMPUTER && subjectNames.contains(SubjectName.EMAIL)) {
                throw new IllegalArgumentException(what + "a computer template cannot require an e-mail name");
            }
            if (subjectType == SubjectType.USER && subjectNames.contains(SubjectName.DNS)) {
                throw new IllegalArgumentException(what + "a user template cannot require a DNS name");
            }
            if (supersedes.stream().anyMatch(s -> s.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))) {
                throw new IllegalArgumentException(what + "a template cannot supersede itself");
            }
            try {
                return new CertificateTemplate(this);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + e.getMessage(), e);
            }
        }
    }
}
