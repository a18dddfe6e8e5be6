package org.autoenroll.ca;

/**
 * The key types the built-in CA can generate for itself, each with the signature algorithm it
 * signs with. Immutable.
 */
public enum CaKeyType {
    RSA_2048("RSA", 2048, null, "SHA256withRSA"),
    RSA_3072("RSA", 3072, null, "SHA256withRSA"),
    RSA_4096("RSA", 4096, null, "SHA256withRSA"),
    EC_P256("EC", 256, "secp256r1", "SHA256withECDSA"),
    EC_P384("EC", 384, "secp384r1", "SHA384withECDSA");

    private final String algorithm;
    private final int bits;
    private final String curve;
    private final String signatureAlgorithm;

    CaKeyType(String algorithm, int bits, String curve, String signatureAlgorithm) {
        this.algorithm = algorithm;
        this.bits = bits;
        this.curve = curve;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The JCA key algorithm, {@code RSA} or {@code EC}. */
    public String algorithm() {
        return algorithm;
    }

    /** RSA modulus length or EC field size in bits. */
    public int bits() {
        return bits;
    }

    /** The named curve for EC types, else null. */
    String curve() {
        return curve;
    }

    /** The JCA name of the signature algorithm a CA with this key signs with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** The type matching a loaded key: RSA of any size >= 2048 signs as SHA256withRSA. */
    static CaKeyType of(String algorithm, int bits) {
        if ("RSA".equals(algorithm)) {
            if (bits < 2048) {
                throw new IllegalArgumentException("RSA CA key of " + bits + " bits is too weak (2048 minimum)");
            }
            return bits >= 4096 ? RSA_4096 : bits >= 3072 ? RSA_3072 : RSA_2048;
        }
        if ("EC".equals(algorithm) || "ECDSA".equals(algorithm)) {
            if (bits == 256) {
                return EC_P256;
            }
            if (bits == 384) {
                return EC_P384;
            }
        }
        throw new IllegalArgumentException("unsupported CA key: " + algorithm + " " + bits + " bits");
    }
}
