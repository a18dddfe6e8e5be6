package org.autoenroll.wstep;

import java.util.List;
import java.util.Objects;

/**
 * What a CEP endpoint tells clients besides the templates: the policy's identity and the CAs
 * (each with its CES URIs) that issue them.
 *
 * @param customerUri the customer whose templates this endpoint offers
 * @param policyId the policy's stable identifier ({@code policyID}): Windows keys its policy cache
 *     and its GPO's {@code PolicyID} on it, so it must not change across restarts or servers
 * @param friendlyName {@code policyFriendlyName}
 * @param nextUpdateHours how long clients wait before asking again, at least 1
 * @param cas the issuing CAs, at least one
 */
public record CepSettings(String customerUri, String policyId, String friendlyName, int nextUpdateHours, List<Ca> cas) {
    public CepSettings {
        Objects.requireNonNull(customerUri, "customerUri");
        if (policyId == null || policyId.isBlank()) {
            throw new IllegalArgumentException("a CEP policy needs a stable policyId");
        }
        Objects.requireNonNull(friendlyName, "friendlyName");
        if (nextUpdateHours < 1) {
            throw new IllegalArgumentException("nextUpdateHours must be at least 1");
        }
        cas = List.copyOf(cas);
        if (cas.isEmpty()) {
            throw new IllegalArgumentException("a CEP policy needs at least one CA");
        }
    }

    /**
     * An issuing CA as CEP lists it.
     *
     * @param certificate the CA certificate in DER (never empty)
     * @param uris its CES endpoints
     */
    public record Ca(byte[] certificate, List<CesUri> uris) {
        public Ca {
            if (certificate == null || certificate.length == 0) {
                throw new IllegalArgumentException("a CA needs its certificate");
            }
            certificate = certificate.clone();
            uris = List.copyOf(uris);
            if (uris.isEmpty()) {
                throw new IllegalArgumentException("a CA needs at least one CES URI");
            }
        }

        @Override
        public byte[] certificate() {
            return certificate.clone();
        }
    }

    /**
     * One CES endpoint of a CA ({@code cAURI}).
     *
     * @param authentication how clients authenticate there
     * @param uri the endpoint's URL, {@code https://host/<CA>_CES_Kerberos/service.svc/CES}
     * @param priority lower is tried first
     * @param renewalOnly the endpoint accepts renewals only
     */
    public record CesUri(Authentication authentication, String uri, int priority, boolean renewalOnly) {
        public CesUri {
            Objects.requireNonNull(authentication, "authentication");
            Objects.requireNonNull(uri, "uri");
            if (priority < 0) {
                throw new IllegalArgumentException("priority must not be negative");
            }
        }
    }

    /** MS-XCEP's {@code clientAuthentication} values (1, anonymous, is never offered). */
    public enum Authentication {
        KERBEROS(2, "Kerberos"), USERNAME_PASSWORD(4, "UsernamePassword"), CERTIFICATE(8, "Certificate");

        private final int wire;
        private final String pathSuffix;

        Authentication(int wire, String pathSuffix) {
            this.wire = wire;
            this.pathSuffix = pathSuffix;
        }

        /** The {@code clientAuthentication} number, also msPKI-Enrollment-Servers' authflags. */
        public int wire() {
            return wire;
        }

        /** The suffix of AD CS's paths: {@code ADPolicyProvider_CEP_<suffix>}, {@code <CA>_CES_<suffix>}. */
        public String pathSuffix() {
            return pathSuffix;
        }
    }
}
