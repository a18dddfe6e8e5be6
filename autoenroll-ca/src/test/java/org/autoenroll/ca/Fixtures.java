package org.autoenroll.ca;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.SecretRef;
import org.autoenroll.api.SigningRequest;

/** Shared test values: CA settings, subject keys, requests, a clock the test moves. */
final class Fixtures {
    static final String BASE_URL = "https://localhost:8443";
    static final CertificateProfile PROFILE =
            new CertificateProfile("user", Duration.ofDays(365), Duration.ofDays(30), false);
    private static KeyPair rsa;
    private static KeyPair ec;

    private Fixtures() {
    }

    static CaSettings settings(Path dir, CaKeyType type) {
        return CaSettings.builder()
                .subjectDn("CN=autoenroll test CA,O=Example")
                .keyType(type)
                .keystorePath(dir.resolve("ca.p12"))
                .keystorePassword(SecretRef.literal("changeit-test".toCharArray()))
                .baseUrl(BASE_URL)
                .build();
    }

    static synchronized KeyPair rsaKey() throws GeneralSecurityException {
        if (rsa == null) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            rsa = generator.generateKeyPair();
        }
        return rsa;
    }

    static synchronized KeyPair ecKey() throws GeneralSecurityException {
        if (ec == null) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            ec = generator.generateKeyPair();
        }
        return ec;
    }

    static SigningRequest request(PublicKey key) {
        return new TestSigningRequest(key, "Alice Smith", "alice@example.com", "alice@EXAMPLE.COM", null, PROFILE);
    }

    static CertificateRecord record(IssuedCertificate issued, String requestId) {
        return CertificateRecord.issued(issued, "urn:customer:acme", "alice@EXAMPLE.COM", "alice@example.com",
                requestId, PROFILE.name());
    }

    /** A record with fake DER, for store tests that never parse the certificate. */
    static CertificateRecord fakeRecord(BigInteger serial, String owner, Instant notBefore) {
        IssuedCertificate issued = new IssuedCertificate(serial, new byte[] {0x30, 0x00, (byte) serial.intValue()},
                java.util.List.of(), "CN=" + owner, notBefore, notBefore.plus(Duration.ofDays(365)));
        return CertificateRecord.issued(issued, "urn:customer:acme", owner, owner.toLowerCase(java.util.Locale.ROOT),
                "req-" + serial, PROFILE.name());
    }

    /** A clock a test sets and advances. Thread-safe. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
