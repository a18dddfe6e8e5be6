package org.autoenroll.core.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.api.SigningRequest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several issuing CAs under one root that publishes a CRL over HTTP, as seed 002's forest with several CAs. */
class CaPoolTest {
    static final BouncyCastleProvider BC = new BouncyCastleProvider();
    static final CertificateProfile PROFILE = new CertificateProfile("User", Duration.ofDays(30), Duration.ofDays(5), false);
    final Clock clock = Clock.systemUTC();
    HttpServer http;
    KeyPair rootKey;
    byte[] crl = new byte[0];
    String crlUrl;

    @BeforeEach
    void setUp() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/root.crl", exchange -> {
            byte[] body = crl;
            exchange.sendResponseHeaders(body.length == 0 ? 404 : 200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        crlUrl = "http://127.0.0.1:" + http.getAddress().getPort() + "/root.crl";
        rootKey = keyPair();
    }

    @AfterEach
    void tearDown() {
        http.stop(0);
    }

    static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    /** An issuing CA whose certificate the root signed, with the root's CRL as its CDP. */
    final class IssuingCa implements CertificateSigner {
        final String name;
        final KeyPair key;
        final X509Certificate certificate;
        final AtomicBoolean down = new AtomicBoolean();
        int signed;

        IssuingCa(String name, BigInteger serial, String cdp) throws Exception {
            this.name = name;
            this.key = keyPair();
            Instant now = clock.instant();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=Root"), serial,
                    Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(365))), new X500Name("CN=" + name),
                    key.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            if (cdp != null) {
                builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(new DistributionPointName(new GeneralNames(
                                new GeneralName(GeneralName.uniformResourceIdentifier, cdp))), null, null)}));
            }
            this.certificate = x509(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC)
                    .build(rootKey.getPrivate())).getEncoded());
        }

        @Override
        public synchronized IssuedCertificate sign(SigningRequest request) throws EnrollmentException {
            if (down.get()) {
                throw new EnrollmentException(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, name + " is down");
            }
            signed++;
            Instant now = clock.instant();
            return new IssuedCertificate(BigInteger.valueOf(signed), new byte[] {1}, caChain(), "CN=x", now, now.plusSeconds(60));
        }

        @Override
        public List<byte[]> caChain() {
            try {
                return List.of(certificate.getEncoded());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static X509Certificate x509(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    X509Certificate rootCertificate() throws Exception {
        Instant now = clock.instant();
        return x509(new JcaX509v3CertificateBuilder(new X500Name("CN=Root"), BigInteger.ONE, Date.from(now.minusSeconds(60)),
                Date.from(now.plus(Duration.ofDays(3650))), new X500Name("CN=Root"), rootKey.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(rootKey.getPrivate())).getEncoded());
    }

    void publishCrlRevoking(BigInteger... serials) throws Exception {
        Instant now = clock.instant();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(new X500Name("CN=Root"), Date.from(now.minusSeconds(60)));
        builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
        for (BigInteger serial : serials) {
            builder.addCRLEntry(serial, Date.from(now.minusSeconds(30)), CRLReason.keyCompromise);
        }
        crl = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(rootKey.getPrivate())).getEncoded();
    }

    CaRevocationCheck check() throws Exception {
        return new CrlCaRevocationCheck(rootCertificate(), Duration.ofSeconds(2), Duration.ofMinutes(5), clock);
    }

    static SigningRequest request(String template) {
        return new SigningRequest() {
            public String requestId() { return "r"; }
            public String customerUri() { return "c"; }
            public byte[] pkcs10() { return new byte[0]; }
            public PublicKey publicKey() { return null; }
            public String commonName() { return "x"; }
            public Optional<String> email() { return Optional.empty(); }
            public Optional<String> upn() { return Optional.empty(); }
            public Optional<String> sid() { return Optional.empty(); }
            public List<String> dnsNames() { return List.of(); }
            public CertificateProfile profile() { return template.equals(PROFILE.name()) ? PROFILE
                    : new CertificateProfile(template, Duration.ofDays(30), Duration.ofDays(5), false); }
        };
    }

    @Test
    void sign_randomOrder_spreadsRequestsOverTheCas() throws Exception {
        IssuingCa one = new IssuingCa("CA1", BigInteger.TEN, crlUrl);
        IssuingCa two = new IssuingCa("CA2", BigInteger.valueOf(11), crlUrl);
        publishCrlRevoking();
        CaPool pool = new CaPool(List.of(new OfferingCa("CA1", one, Set.of(), check()), new OfferingCa("CA2", two, Set.of(), check())),
                new Random(7));
        for (int i = 0; i < 100; i++) {
            pool.sign(request("User"));
        }
        assertTrue(one.signed > 20 && two.signed > 20, one.signed + " / " + two.signed);
    }

    @Test
    void sign_oneCaDown_everyEnrollmentSucceedsOnTheOther() throws Exception {
        IssuingCa one = new IssuingCa("CA1", BigInteger.TEN, crlUrl);
        IssuingCa two = new IssuingCa("CA2", BigInteger.valueOf(11), crlUrl);
        publishCrlRevoking();
        one.down.set(true);
        CaPool pool = new CaPool(List.of(new OfferingCa("CA1", one, Set.of(), check()), new OfferingCa("CA2", two, Set.of(), check())));
        for (int i = 0; i < 50; i++) {
            pool.sign(request("User"));
        }
        assertEquals(0, one.signed);
        assertEquals(50, two.signed);
    }

    @Test
    void sign_everyCaDown_refusesWith25NamingEach() throws Exception {
        IssuingCa one = new IssuingCa("CA1", BigInteger.TEN, null);
        IssuingCa two = new IssuingCa("CA2", BigInteger.valueOf(11), null);
        one.down.set(true);
        two.down.set(true);
        CaPool pool = new CaPool(List.of(new OfferingCa("CA1", one, Set.of()), new OfferingCa("CA2", two, Set.of())));
        EnrollmentException e = assertThrows(EnrollmentException.class, () -> pool.sign(request("User")));
        assertEquals(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, e.code());
        assertTrue(e.detail().contains("CA1") && e.detail().contains("CA2"), e.detail());
    }

    @Test
    void sign_caRevokedByItsIssuersCrl_isNeverUsed() throws Exception {
        IssuingCa good = new IssuingCa("CA1", BigInteger.TEN, crlUrl);
        IssuingCa revoked = new IssuingCa("CA2", BigInteger.valueOf(11), crlUrl);
        publishCrlRevoking(BigInteger.valueOf(11));
        CaPool pool = new CaPool(List.of(new OfferingCa("CA1", good, Set.of(), check()),
                new OfferingCa("CA2", revoked, Set.of(), check())));
        for (int i = 0; i < 50; i++) {
            pool.sign(request("User"));
        }
        assertEquals(0, revoked.signed);
        assertEquals(50, good.signed);
        assertTrue(java.util.Arrays.equals(good.caChain().get(0), pool.caChain().get(0)), "the pool's chain is not the revoked CA's");
    }

    @Test
    void isRevoked_crlUnreachableOrNoCdp_isIgnoredAsSeed002Says() throws Exception {
        IssuingCa noCdp = new IssuingCa("CA1", BigInteger.TEN, null);
        IssuingCa unreachable = new IssuingCa("CA2", BigInteger.valueOf(11), "http://127.0.0.1:1/root.crl");
        IssuingCa notPublished = new IssuingCa("CA3", BigInteger.valueOf(12), crlUrl);
        CaRevocationCheck check = check();
        assertFalse(check.isRevoked(noCdp.certificate));
        assertFalse(check.isRevoked(unreachable.certificate));
        assertFalse(check.isRevoked(notPublished.certificate), "404 for the CRL");
    }

    @Test
    void isRevoked_crlSignedByAnotherKey_isNotBelieved() throws Exception {
        IssuingCa ca = new IssuingCa("CA1", BigInteger.TEN, crlUrl);
        KeyPair real = rootKey;
        rootKey = keyPair();
        publishCrlRevoking(BigInteger.TEN);
        rootKey = real;
        assertFalse(check().isRevoked(ca.certificate));
    }

    @Test
    void sign_templateOfferedByOneCaOnly_goesThere() throws Exception {
        IssuingCa users = new IssuingCa("CA1", BigInteger.TEN, null);
        IssuingCa machines = new IssuingCa("CA2", BigInteger.valueOf(11), null);
        CaPool pool = new CaPool(List.of(new OfferingCa("CA1", users, Set.of("User")), new OfferingCa("CA2", machines, Set.of("Machine"))));
        for (int i = 0; i < 10; i++) {
            pool.sign(request("Machine"));
        }
        assertEquals(10, machines.signed);
        assertTrue(pool.offers("user") && pool.offers("Machine") && !pool.offers("Other"));
        assertEquals(ErrorCode.TEMPLATE_UNKNOWN, assertThrows(EnrollmentException.class, () -> pool.sign(request("Other"))).code());
    }
}
