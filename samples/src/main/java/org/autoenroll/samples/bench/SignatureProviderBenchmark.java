package org.autoenroll.samples.bench;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Signatures made and verified per second, one thread, by three providers on the same key and the
 * same 600-byte message (about a TBSCertificate the built-in CA signs): the Amazon Corretto Crypto
 * Provider ({@code ACCP}, native AWS-LC), Bouncy Castle ({@code BC}) and the JDK's own
 * ({@code JDK}: SunEC for EC P-256, SunRsaSign for RSA-2048). Every provider is an instance passed to
 * {@code Signature.getInstance(alg, provider)}; nothing is registered globally. Setup checks that each
 * provider's signature verifies with another provider. Read: each score / the {@code BC} score of the
 * same key and operation; on a shared machine, compare CPU per operation ({@link CpuTime}:
 * {@code cpuMicros} / {@code calls}) rather than ops/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class SignatureProviderBenchmark {
    @Param({"ACCP", "BC", "JDK"})
    public String provider;

    @Param({"EC_P256", "RSA_2048"})
    public String key;

    private final byte[] message = new byte[600];
    private Signature signer;
    private Signature verifier;
    private byte[] signature;

    @Setup
    public void setUp() throws Exception {
        new SecureRandom().nextBytes(message);
        boolean ec = key.equals("EC_P256");
        String algorithm = ec ? "SHA256withECDSA" : "SHA256withRSA";
        KeyPairGenerator generator = KeyPairGenerator.getInstance(ec ? "EC" : "RSA");
        if (ec) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator.initialize(2048);
        }
        KeyPair pair = generator.generateKeyPair();
        Provider chosen = provider(provider, ec);
        // keys of the provider's own classes, as the built-in CA holds its key: no conversion per signature
        KeyFactory factory = KeyFactory.getInstance(ec ? "EC" : "RSA", chosen);
        PrivateKey privateKey = (PrivateKey) factory.translateKey(pair.getPrivate());
        PublicKey publicKey = (PublicKey) factory.translateKey(pair.getPublic());
        signer = Signature.getInstance(algorithm, chosen);
        signer.initSign(privateKey);
        verifier = Signature.getInstance(algorithm, chosen);
        verifier.initVerify(publicKey);
        signature = sign();
        // another provider must accept this one's signature (and reject a changed message)
        Signature other = Signature.getInstance(algorithm, provider.equals("BC") ? provider("JDK", ec) : new BouncyCastleProvider());
        other.initVerify(pair.getPublic());
        other.update(message);
        if (!other.verify(signature) || !verify()) {
            throw new IllegalStateException(provider + "'s " + algorithm + " signature does not verify elsewhere");
        }
    }

    static Provider provider(String name, boolean ec) {
        switch (name) {
            case "ACCP":
                AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
                if (accp.getLoadingError() != null) {
                    throw new IllegalStateException("ACCP does not load here", accp.getLoadingError());
                }
                accp.assertHealthy();
                return accp;
            case "BC":
                return new BouncyCastleProvider();
            case "JDK":
                return Security.getProvider(ec ? "SunEC" : "SunRsaSign");
            default:
                throw new IllegalArgumentException("provider " + name);
        }
    }

    @Benchmark
    public byte[] sign(CpuTime cpu) throws SignatureException {
        cpu.start();
        byte[] result = sign();
        cpu.stop();
        return result;
    }

    @Benchmark
    public boolean verify(CpuTime cpu) throws SignatureException {
        cpu.start();
        boolean result = verify();
        cpu.stop();
        return result;
    }

    private byte[] sign() throws SignatureException {
        signer.update(message);
        return signer.sign();
    }

    private boolean verify() throws SignatureException {
        verifier.update(message);
        return verifier.verify(signature);
    }
}
