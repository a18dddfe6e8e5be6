package org.autoenroll.ca;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.autoenroll.api.RevocationReason;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Jazzer fuzz tests: {@link OcspResponder} answers every input with a parseable OCSPResponse and
 * never throws. Without JAZZER_FUZZ=1 they run the seed inputs in
 * {@code src/test/resources/org/autoenroll/ca/OcspResponderFuzzTestInputs/} (regression mode).
 */
class OcspResponderFuzzTest {
    private static final Set<Integer> STATUSES = Set.of(0, 1, 2, 6);
    private static Path dir;
    private static JdbcCertificateStore store;
    private static BuiltInCa ca;
    private static OcspResponder responder;
    private static DigestCalculator sha1;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("ocsp-fuzz");
        Fixtures.MutableClock clock = new Fixtures.MutableClock(Instant.now());
        store = JdbcCertificateStore.h2(dir.resolve("db"), clock);
        ca = BuiltInCa.open(Fixtures.settings(dir, CaKeyType.EC_P256), clock);
        responder = OcspResponder.open(ca, store, clock);
        for (int i = 1; i <= 4; i++) {
            store.recordIssued(Fixtures.fakeRecord(BigInteger.valueOf(i), "alice@EXAMPLE.COM", clock.instant()),
                    Optional.empty());
        }
        store.revoke(BigInteger.TWO, RevocationReason.KEY_COMPROMISE, clock.instant());
        sha1 = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
    }

    @AfterAll
    static void stop() throws IOException {
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @FuzzTest(maxDuration = "30s")
    void respond_anyBytes_neverThrowsAndAlwaysAnOcspResponse(byte[] data) throws IOException {
        assertTrue(STATUSES.contains(new OCSPResp(responder.respond(data)).getStatus()));
    }

    @FuzzTest(maxDuration = "30s")
    void respondToGetPath_anyString_neverThrowsAndAlwaysAnOcspResponse(String path) throws IOException {
        assertTrue(STATUSES.contains(new OCSPResp(responder.respondToGetPath(path)).getStatus()));
    }

    /** Well-formed requests for this CA with fuzzed serials, CertID counts and nonces. */
    @FuzzTest(maxDuration = "30s")
    void respond_fuzzedRequestsForThisCa_neverThrows(FuzzedDataProvider data) throws Exception {
        OCSPReqBuilder builder = new OCSPReqBuilder();
        int count = data.consumeInt(0, 25);
        for (int i = 0; i < count; i++) {
            byte[] serial = data.consumeBytes(25);
            builder.addRequest(new CertificateID(sha1, ca.caHolder(),
                    serial.length == 0 ? BigInteger.ZERO : new BigInteger(serial)));
        }
        if (data.consumeBoolean()) {
            byte[] nonce = data.consumeBytes(40);
            builder.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                    data.consumeBoolean() ? new DEROctetString(new DEROctetString(nonce).getEncoded())
                            : new DEROctetString(nonce))));
        }
        byte[] der = builder.build().getEncoded();
        assertTrue(STATUSES.contains(new OCSPResp(responder.respond(der)).getStatus()));
    }
}
