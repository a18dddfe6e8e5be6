package org.autoenroll.core.pipeline;

import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.SigningRequest;
import org.autoenroll.api.SubjectName;

/**
 * The only {@link SigningRequest} there is: made by {@link SignAndRecord} from a context every
 * check has passed, with names from the directory entry as the profile asks for them.
 */
final class CheckedSigningRequest implements SigningRequest {
    private final String requestId;
    private final String customerUri;
    private final byte[] pkcs10;
    private final PublicKey publicKey;
    private final String commonName;
    private final String email;
    private final String upn;
    private final String sid;
    private final List<String> dnsNames;
    private final CertificateProfile profile;

    private CheckedSigningRequest(EnrollmentContext context) {
        CertificateProfile chosen = context.profile();
        this.requestId = context.requestId();
        this.customerUri = context.customer().uri();
        this.pkcs10 = context.csr().der();
        this.publicKey = context.csr().publicKey();
        this.commonName = context.commonName();
        this.email = chosen.writes(SubjectName.EMAIL) ? context.email() : null;
        this.upn = chosen.writes(SubjectName.UPN) ? context.entry().userPrincipalName() : null;
        boolean wantsSid = chosen.writes(SubjectName.SID_EXTENSION) || chosen.writes(SubjectName.SID_URL);
        this.sid = wantsSid ? context.caller().userSid().or(() -> context.entry().objectSid()).orElse(null) : null;
        this.dnsNames = chosen.writes(SubjectName.DNS) ? context.entry().dnsHostName().stream().toList() : List.of();
        this.profile = chosen;
    }

    static SigningRequest of(EnrollmentContext context) {
        return new CheckedSigningRequest(Objects.requireNonNull(context, "context"));
    }

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public String customerUri() {
        return customerUri;
    }

    @Override
    public byte[] pkcs10() {
        return pkcs10.clone();
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public String commonName() {
        return commonName;
    }

    @Override
    public Optional<String> email() {
        return Optional.ofNullable(email);
    }

    @Override
    public Optional<String> upn() {
        return Optional.ofNullable(upn);
    }

    @Override
    public Optional<String> sid() {
        return Optional.ofNullable(sid);
    }

    @Override
    public List<String> dnsNames() {
        return dnsNames;
    }

    @Override
    public CertificateProfile profile() {
        return profile;
    }

    @Override
    public String toString() {
        return "signing request " + requestId + " for " + commonName + " (" + profile.name() + ")";
    }
}
