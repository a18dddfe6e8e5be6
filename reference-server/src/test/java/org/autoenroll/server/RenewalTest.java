package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateState;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.RevocationReason;
import org.autoenroll.ca.testkit.OpenSsl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renewal over the API: a new certificate, the old one revoked as superseded and on the CRL. */
class RenewalTest {
    @TempDir
    static Path dir;
    static ServerHarness harness;

    @BeforeAll
    static void start() {
        harness = ServerHarness.start(dir.resolve("server"));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void renew_validCertificate_newCertificateOldOneOnCrl() throws Exception {
        OpenSsl openssl = OpenSsl.require();
        JsonNode first = harness.enrollOk("alice", ServerHarness.alice());
        Map<String, Object> renewal = ServerHarness.alice();
        renewal.put("renewSerial", first.get("serial").asText());

        JsonNode second = harness.enrollOk("alice", renewal);

        assertNotEquals(first.get("serial").asText(), second.get("serial").asText());
        CertificateRecord old = harness.server.component(CertificateStore.class)
                .find(new BigInteger(first.get("serial").asText(), 16)).orElseThrow();
        assertEquals(CertificateState.REVOKED, old.state());
        assertEquals(RevocationReason.SUPERSEDED, old.revocationReason());

        HttpResponse<byte[]> crl = harness.getBytes("/crl");
        assertEquals(200, crl.statusCode());
        Path crlPem = OpenSsl.writePem(dir.resolve("crl.pem"), "X509 CRL", crl.body());
        Path oldPem = Files.writeString(dir.resolve("old.pem"), first.get("certificate").asText());
        Path newPem = Files.writeString(dir.resolve("new.pem"), second.get("certificate").asText());

        OpenSsl.Result oldVerdict = openssl.verify(harness.caPem, oldPem, "-crl_check", "-CRLfile", crlPem.toString());
        assertFalse(oldVerdict.ok(), oldVerdict.output());
        assertTrue(oldVerdict.output().toLowerCase(Locale.ROOT).contains("certificate revoked"), oldVerdict.output());
        OpenSsl.Result newVerdict = openssl.verify(harness.caPem, newPem, "-crl_check", "-CRLfile", crlPem.toString());
        assertTrue(newVerdict.ok(), newVerdict.output());
        String crlText = openssl.runOk(dir, "crl", "-in", crlPem.toString(), "-noout", "-text");
        assertTrue(crlText.contains(first.get("serial").asText()), crlText);
        assertTrue(crlText.contains("Superseded"), crlText);
    }

    @Test
    void renew_sameOldSerialTwice_24AndNothingStored() {
        JsonNode first = harness.enrollOk("alice", ServerHarness.alice());
        Map<String, Object> renewal = ServerHarness.alice();
        renewal.put("renewSerial", first.get("serial").asText());
        harness.enrollOk("alice", renewal);
        int before = harness.certificates("alice");
        Map<String, Object> again = ServerHarness.alice();
        again.put("renewSerial", first.get("serial").asText());

        ErrorCodesTest.assertError(harness.postJson("/api/v1/enroll", "alice", again), ErrorCode.INVALID_SERIAL);
        assertEquals(before, harness.certificates("alice"));
    }

    @Test
    void renew_otherUsersSerial_24() {
        JsonNode bobs = harness.enrollOk("bob", ServerHarness.enrollment("bob", "bob@example.com", "Bob Example"));
        Map<String, Object> renewal = ServerHarness.alice();
        renewal.put("renewSerial", bobs.get("serial").asText());
        int before = harness.certificates("alice");

        ErrorCodesTest.assertError(harness.postJson("/api/v1/enroll", "alice", renewal), ErrorCode.INVALID_SERIAL);
        assertEquals(before, harness.certificates("alice"));
    }

    @Test
    void renew_lowerCaseSerial_accepted() {
        JsonNode first = harness.enrollOk("alice", ServerHarness.alice());
        Map<String, Object> renewal = ServerHarness.alice();
        renewal.put("renewSerial", first.get("serial").asText().toLowerCase(Locale.ROOT));

        assertEquals("ISSUED", harness.enrollOk("alice", renewal).get("status").asText());
    }
}
