package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.autoenroll.ca.testkit.OpenSsl;
import org.autoenroll.ca.testkit.SoftHsm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA key in a PKCS#11 token (SoftHSM2) configured through {@code ca.pkcs11}: enrollment, CRL and restart. */
class Pkcs11ServerTest {
    @TempDir
    Path dir;

    @Test
    void caKeyInSoftHsm_issuesVerifiableCertificatesAndSurvivesRestart() throws Exception {
        OpenSsl openssl = OpenSsl.require();
        SoftHsm hsm = SoftHsm.start();
        long slot = hsm.initToken("autoenroll-server", "4321", "8765");
        Path pin = Files.writeString(dir.resolve("ca.pin"), "4321");
        ServerHarness.ConfigWriter inToken = (world, tls, tlsPw, caKs, caPw, db) ->
                ServerHarness.config(world, tls, tlsPw, caKs, caPw, db).replace(
                        "  keystore: \"" + caKs + "\"\n  keystorePassword: \"file:" + caPw + "\"\n",
                        "  pkcs11:\n    library: \"" + hsm.library() + "\"\n    slot: " + slot + "\n    pin: \"file:" + pin + "\"\n");
        byte[] caCertificate;
        String issued;
        try (ServerHarness harness = ServerHarness.start(dir.resolve("server"), inToken)) {
            assertTrue(Files.readString(harness.dir.resolve("server.yaml")).contains("pkcs11:"), "the CA is in the token");
            JsonNode answer = harness.enrollOk("alice", ServerHarness.alice());
            issued = answer.get("certificate").asText();
            caCertificate = harness.getBytes("/ca.crt").body();
            Path caPem = OpenSsl.writePem(dir.resolve("token-ca.pem"), "CERTIFICATE", caCertificate);
            Path cert = Files.writeString(dir.resolve("alice.pem"), issued);
            assertTrue(openssl.verify(caPem, cert).ok(), "issued under the token's key");
            Path crl = OpenSsl.writePem(dir.resolve("crl.pem"), "X509 CRL", harness.getBytes("/crl").body());
            openssl.runOk(dir, "crl", "-in", crl.toString(), "-CAfile", caPem.toString(), "-noout");
        }
        try (ServerHarness restarted = ServerHarness.start(dir.resolve("server"), inToken)) {
            assertEquals(java.util.HexFormat.of().formatHex(caCertificate),
                    java.util.HexFormat.of().formatHex(restarted.getBytes("/ca.crt").body()), "same CA key and certificate");
        }
    }
}
