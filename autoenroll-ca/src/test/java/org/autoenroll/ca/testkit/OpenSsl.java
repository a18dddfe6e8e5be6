package org.autoenroll.ca.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the {@code openssl} command line tool as the independent verifier of certificates and
 * CRLs. {@link #require()} skips the test when openssl is missing, except when the environment
 * variable {@code CI} is set: then the test fails. Stateless and thread-safe.
 */
public final class OpenSsl {
    private static final long TIMEOUT_SECONDS = 60;

    /** What a run of openssl produced. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final String executable;

    private OpenSsl(String executable) {
        this.executable = executable;
    }

    /**
     * The openssl found on the PATH (or in {@code OPENSSL} if set); a missing one skips the test
     * outside CI and fails it in CI.
     */
    public static OpenSsl require() {
        String executable = System.getenv().getOrDefault("OPENSSL", "openssl");
        OpenSsl openSsl = new OpenSsl(executable);
        boolean present;
        try {
            present = openSsl.run(null, "version").ok();
        } catch (IOException e) {
            present = false;
        }
        if (!present) {
            if (System.getenv("CI") != null) {
                Assertions.fail("openssl is required in CI but '" + executable + "' cannot be run");
            }
            Assumptions.abort("openssl not found; skipped outside CI");
        }
        return openSsl;
    }

    /**
     * Runs {@code openssl args...} in {@code workDir} (null: current directory), stdout and stderr
     * merged, with a timeout.
     */
    public Result run(Path workDir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process = builder.start();
        try (InputStream in = process.getInputStream()) {
            byte[] output = in.readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("openssl " + String.join(" ", args) + " timed out");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running openssl", e);
        }
    }

    /** Runs openssl and fails the test unless it exits with 0; returns its output. */
    public String runOk(Path workDir, String... args) throws IOException {
        Result result = run(workDir, args);
        Assertions.assertEquals(0, result.exitCode(),
                () -> "openssl " + String.join(" ", args) + " failed:\n" + result.output());
        return result.output();
    }

    /** {@code openssl x509 -noout -text} of a PEM certificate. */
    public String certificateText(Path pem) throws IOException {
        return runOk(null, "x509", "-noout", "-text", "-in", pem.toString());
    }

    /** {@code openssl verify -CAfile ca cert}, without revocation checks. */
    public Result verify(Path caPem, Path certificatePem, String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("verify", "-CAfile", caPem.toString()));
        args.addAll(List.of(extraArgs));
        args.add(certificatePem.toString());
        return run(null, args.toArray(String[]::new));
    }

    /** Writes DER as PEM with {@code type} ("CERTIFICATE", "X509 CRL", ...) and returns the file. */
    public static Path writePem(Path file, String type, byte[] der) throws IOException {
        Files.writeString(file, pem(type, der), StandardCharsets.US_ASCII);
        return file;
    }

    /** Writes one or more certificates (DER) into one PEM file, e.g. a chain or a trust bundle. */
    public static Path writeCertificates(Path file, byte[]... ders) throws IOException {
        StringBuilder all = new StringBuilder();
        for (byte[] der : ders) {
            all.append(pem("CERTIFICATE", der));
        }
        Files.writeString(file, all.toString(), StandardCharsets.US_ASCII);
        return file;
    }

    /** The PEM text of {@code der}, 64 characters a line. */
    public static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
