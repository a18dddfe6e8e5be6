package org.autoenroll.ca.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import org.autoenroll.api.SecretRef;
import org.autoenroll.ca.BuiltInCa;
import org.autoenroll.ca.CaKeyType;
import org.autoenroll.ca.CaSettings;
import org.autoenroll.ca.CrlPublisher;
import org.autoenroll.ca.JdbcCertificateStore;
import org.autoenroll.ca.testkit.RevokedRows;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Benchmark (not a test): the build time and peak heap of a CRL of N entries, built by
 * {@link CrlPublisher} (streamed) and, as the baseline in the same run, by Bouncy Castle's
 * {@code X509v2CRLBuilder} on the same entries from the same store. Fills an H2 store in a temporary
 * directory with N revoked certificates (batched SQL, fake DER), verifies the streamed CRL with
 * {@code openssl crl -CAfile ca.pem -noout}, and prints one line per builder.
 *
 * <p>Heap, two figures per build: "live peak", the largest heap in use right after any garbage
 * collection during the build (GC notifications; what the build really holds, plus garbage the
 * old generation has not collected yet), minus the heap in use after a full GC before the build
 * (the store, the CA); and "pool peak", the sum of the heap pools' peak usage since
 * {@code resetPeakUsage()} (includes young garbage, so it grows up to the -Xmx). The {@code -Xmx}
 * a build fits in is the hardest figure: run with a small one.
 *
 * <pre>
 * cd /work/main &amp;&amp; mvn -B -o -q -pl autoenroll-ca test-compile
 * mvn -B -o -q -pl autoenroll-ca dependency:build-classpath -Dmdep.outputFile=/tmp/ae-ca-cp.txt -Dmdep.includeScope=test
 * java -Xmx256m -cp autoenroll-ca/target/classes:autoenroll-ca/target/test-classes:$(cat /tmp/ae-ca-cp.txt) \
 *     org.autoenroll.ca.bench.CrlScaleBenchmark 1000000 both
 * </pre>
 * Arguments: N (default 100000), then {@code both} (default), {@code streamed} or {@code bc}.
 *
 * <p>Figures on the 2-core build machine (loaded by other builds; times vary by +-30%), H2 file
 * database, EC P-256 CA: 1,000,000 entries = 50.6 MB DER. Streamed: 9.3 s at -Xmx256m, 10.6 s at
 * -Xmx1g, and it fits in -Xmx96m (12.4 s, 260 GCs; the 50.6 MB result array is most of it).
 * X509v2CRLBuilder: OutOfMemoryError at -Xmx256m; 9.5 s at -Xmx512m (319 MB live after GC);
 * 16.0 s at -Xmx1g with 354 MB live after GC
 * (streamed at -Xmx256m: 107 MB, the result array included). 100,000 entries (5.1 MB) at
 * -Xmx256m: streamed 2.2 s, live peak 30 MB; X509v2CRLBuilder 3.2 s, 56 MB.
 */
public final class CrlScaleBenchmark {
    private CrlScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
        String mode = args.length > 1 ? args[1] : "both";
        Path dir = Files.createTempDirectory("crl-bench");
        System.out.printf("entries=%d mode=%s -Xmx=%d MB cpus=%d%n", n, mode,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        try {
            run(dir, n, mode);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path dir, long n, String mode) throws Exception {
        Clock clock = Clock.systemUTC();
        char[] password = "bench-password".toCharArray();
        CaSettings settings = CaSettings.builder().subjectDn("CN=autoenroll bench CA,O=Example")
                .keyType(CaKeyType.EC_P256).keystorePath(dir.resolve("ca.p12"))
                .keystorePassword(SecretRef.literal(password)).baseUrl("https://localhost:8443").build();
        BuiltInCa ca = BuiltInCa.open(settings, clock);
        try (JdbcCertificateStore store = JdbcCertificateStore.h2(dir.resolve("db"), clock)) {
            long t0 = System.nanoTime();
            long inserted = fill(store.dataSource(), n, clock.instant());
            System.out.printf("filled %d revoked rows in %.1f s%n", inserted, (System.nanoTime() - t0) / 1e9);
            Path caPem = pem(dir.resolve("ca.pem"), "CERTIFICATE", ca.caCertificateDer());

            if (!mode.equals("bc")) {
                Path work = Files.createDirectories(dir.resolve("work"));
                CrlPublisher publisher = new CrlPublisher(ca, store, clock, CrlPublisher.DEFAULT_VALIDITY,
                        CrlPublisher.DEFAULT_REFRESH, work);
                long base = resetPeaks();
                GcWatch watch = GcWatch.start();
                long start = System.nanoTime();
                long size;
                Path crlFile = dir.resolve("crl.der");
                try (InputStream in = publisher.openCurrentCrl()) {
                    size = in.available();
                    long elapsed = System.nanoTime() - start;
                    long peak = peakSum() - base;
                    watch.stop();
                    System.out.printf("streamed: %d entries, %.1f MB DER, build %.2f s, live peak %d MB, pool peak %d MB"
                                    + " (above a baseline of %d MB), %d GCs%n", n, size / 1e6, elapsed / 1e9,
                            Math.max(0, watch.maxAfterGc() - base) >> 20, peak >> 20, base >> 20, watch.count());
                    Files.copy(in, crlFile);
                }
                Process openssl = new ProcessBuilder("openssl", "crl", "-inform", "DER", "-in", crlFile.toString(),
                        "-CAfile", caPem.toString(), "-noout").redirectErrorStream(true).start();
                String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                int exit = openssl.waitFor();
                System.out.printf("openssl crl -CAfile ca.pem -noout: exit %d, %s%n", exit, output);
                if (exit != 0 || !output.contains("verify OK")) {
                    throw new IllegalStateException("openssl does not verify the streamed CRL");
                }
                Files.delete(crlFile);
            }
            if (!mode.equals("streamed")) {
                PrivateKey key = caKey(settings.keystorePath(), password);
                long base = resetPeaks();
                GcWatch watch = GcWatch.start();
                long start = System.nanoTime();
                try {
                    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
                    X509v2CRLBuilder builder = new X509v2CRLBuilder(
                            X500Name.getInstance(ca.caCertificate().getSubjectX500Principal().getEncoded()), Date.from(now));
                    builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
                    builder.addExtension(Extension.cRLNumber, false, new CRLNumber(java.math.BigInteger.ONE));
                    store.forEachRevocation(null, (serial, at, reason) ->
                            builder.addCRLEntry(serial, Date.from(at), reason.code()));
                    byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)).getEncoded();
                    long elapsed = System.nanoTime() - start;
                    long peak = peakSum() - base;
                    watch.stop();
                    System.out.printf("bouncycastle X509v2CRLBuilder: %d entries, %.1f MB DER, build %.2f s, live peak"
                                    + " %d MB, pool peak %d MB (above a baseline of %d MB), %d GCs%n", n, der.length / 1e6,
                            elapsed / 1e9, Math.max(0, watch.maxAfterGc() - base) >> 20, peak >> 20, base >> 20,
                            watch.count());
                } catch (OutOfMemoryError e) {
                    System.out.printf("bouncycastle X509v2CRLBuilder: OutOfMemoryError after %.2f s at -Xmx %d MB%n",
                            (System.nanoTime() - start) / 1e9, Runtime.getRuntime().maxMemory() >> 20);
                }
            }
        }
    }

    /** The largest heap in use after a GC while watching. Thread-safe. */
    private static final class GcWatch implements javax.management.NotificationListener {
        private final java.util.concurrent.atomic.AtomicLong max = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.List<javax.management.NotificationEmitter> emitters = new java.util.ArrayList<>();

        static GcWatch start() {
            GcWatch watch = new GcWatch();
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof javax.management.NotificationEmitter emitter) {
                    emitter.addNotificationListener(watch, null, null);
                    watch.emitters.add(emitter);
                }
            }
            return watch;
        }

        @Override
        public void handleNotification(javax.management.Notification notification, Object handback) {
            if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                    .equals(notification.getType())) {
                return;
            }
            var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                    (javax.management.openmbean.CompositeData) notification.getUserData());
            long used = 0;
            for (var usage : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (!usage.getKey().contains("Metaspace") && !usage.getKey().contains("Code")
                        && !usage.getKey().contains("Class")) {
                    used += usage.getValue().getUsed();
                }
            }
            count.incrementAndGet();
            max.accumulateAndGet(used, Math::max);
        }

        void stop() throws javax.management.ListenerNotFoundException {
            for (var emitter : emitters) {
                emitter.removeNotificationListener(this);
            }
        }

        long maxAfterGc() {
            return max.get();
        }

        long count() {
            return count.get();
        }
    }

    /**
     * N revoked rows by H2's INSERT ... SELECT FROM SYSTEM_RANGE, 100,000 per transaction: about
     * ten times faster than batched single-row inserts ({@link RevokedRows}, used when the database
     * is not H2). Serials 2^150 + i * 1000000007 (19 bytes, like the CA's 159-bit random ones),
     * every reason, revocation times over the last day.
     */
    private static long fill(javax.sql.DataSource dataSource, long n, Instant now) throws Exception {
        String reasons = "CASE MOD(X, 10) WHEN 0 THEN 'UNSPECIFIED' WHEN 1 THEN 'KEY_COMPROMISE' WHEN 2 THEN 'CA_COMPROMISE'"
                + " WHEN 3 THEN 'AFFILIATION_CHANGED' WHEN 4 THEN 'SUPERSEDED' WHEN 5 THEN 'CESSATION_OF_OPERATION'"
                + " WHEN 6 THEN 'CERTIFICATE_HOLD' WHEN 7 THEN 'REMOVE_FROM_CRL' WHEN 8 THEN 'PRIVILEGE_WITHDRAWN'"
                + " ELSE 'AA_COMPROMISE' END";
        java.time.OffsetDateTime at = java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC);
        try (java.sql.Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO certificates (serial, customer_uri,"
                    + " owner, email, request_id, profile, der, not_before, not_after, state, revocation_reason,"
                    + " revoked_at) SELECT CAST(X AS NUMERIC(60,0)) * 1000000007"
                    + " + CAST('1427247692705959881058285969449495136382746624' AS NUMERIC(60,0)),"
                    + " 'urn:customer:bench', 'user' || X, NULL, 'bench-' || X, 'user', X'3000', ?, ?, 'REVOKED', "
                    + reasons + ", DATEADD(SECOND, -MOD(X * 7919, 86400) - 1, CAST(? AS TIMESTAMP WITH TIME ZONE)) FROM SYSTEM_RANGE(?, ?)")) {
                for (long from = 1; from <= n; from += 100_000) {
                    ps.setObject(1, at.minusDays(30));
                    ps.setObject(2, at.plusDays(335));
                    ps.setObject(3, at);
                    ps.setLong(4, from);
                    ps.setLong(5, Math.min(n, from + 99_999));
                    ps.executeUpdate();
                    c.commit();
                }
            }
        }
        return n;
    }

    private static PrivateKey caKey(Path keystore, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password);
        }
        return (PrivateKey) store.getKey("ca", password);
    }

    /** Full GC, reset the heap pools' peaks; returns the heap in use now. */
    private static long resetPeaks() {
        System.gc();
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }

    private static long peakSum() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static Path pem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
        return file;
    }
}
