package org.autoenroll.samples.load;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.autoenroll.api.CertificateRecord;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.IssuedCertificate;
import org.autoenroll.ca.BuiltInCa;
import org.autoenroll.server.demo.DemoEnvironment;

/**
 * The server side of {@link OcspLoad}, in a process of its own: the reference server's demo
 * environment (its CA is EC P-256, its store H2) with {@code certificates} valid certificates
 * recorded in the store, so that the OCSP responder answers good for them. The records carry a
 * placeholder instead of the certificate's DER: OCSP reads a certificate's state, never its DER,
 * and signing thousands of real certificates would only slow the start. It writes to standard
 * output {@code CA <base64 DER>}, one {@code SERIAL <hex>} line per certificate, then
 * {@code READY <publication port> <pid>}, and stops (deleting its data directory) when its
 * standard input closes.
 */
public final class OcspLoadServer {
    private OcspLoadServer() {
    }

    public static void main(String[] args) throws Exception {
        int certificates = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        if (certificates < 1 || certificates > 100_000) {
            throw new IllegalArgumentException("certificates must be 1..100000");
        }
        Path dir = Files.createTempDirectory("ocsp-load-");
        try (DemoEnvironment demo = DemoEnvironment.start(dir, 0)) {
            BuiltInCa ca = demo.server().component(BuiltInCa.class);
            CertificateStore store = demo.server().component(CertificateStore.class);
            System.out.println("CA " + Base64.getEncoder().encodeToString(ca.caCertificateDer()));
            SecureRandom random = new SecureRandom();
            Instant now = Instant.now();
            for (int i = 0; i < certificates; i++) {
                BigInteger serial = new BigInteger(159, random).setBit(158);
                IssuedCertificate placeholder = new IssuedCertificate(serial, new byte[] {0x30, 0x00}, List.of(),
                        "CN=load" + i, now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(30)));
                store.recordIssued(CertificateRecord.issued(placeholder, DemoEnvironment.CUSTOMER_URI,
                        "load" + i + "@" + DemoEnvironment.REALM, null, "ocsp-load-" + i, "User"), Optional.empty());
                System.out.println("SERIAL " + serial.toString(16));
            }
            System.out.println("READY " + publicationPort(demo) + " " + ProcessHandle.current().pid());
            System.out.flush();
            // until the load generator closes our standard input (or dies)
            while (System.in.read() >= 0) {
                // discard
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static int publicationPort(DemoEnvironment demo) throws IOException {
        // the demo's configuration names it; the certificates' AIA point at it
        for (String line : Files.readAllLines(demo.dataDir().resolve("demo-config.yaml"))) {
            String trimmed = line.trim();
            if (trimmed.startsWith("publicationPort:")) {
                return Integer.parseInt(trimmed.substring("publicationPort:".length()).trim());
            }
        }
        throw new IOException("the demo configuration names no publicationPort");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
