package org.autoenroll.ca;

/**
 * Which JCA provider makes the built-in CA's signatures (certificates, CRLs, OCSP responses with a
 * PKCS#12 CA key) and verifies CSR signatures ({@link BuiltInCa#cryptoProvider()}, passed to the
 * pipeline). Every choice is used as a provider instance, never registered in the JVM's global
 * provider list. A CA key in a PKCS#11 token is always signed with by the token's provider.
 *
 * @since 0.1
 */
public enum CryptoProviderChoice {
    /**
     * The Amazon Corretto Crypto Provider (native AWS-LC) when its jar is on the class path and its
     * native library loads on this machine, else {@link #BOUNCY_CASTLE}; the fallback and its reason
     * are logged once when the CA opens. The default.
     */
    AUTO,
    /** The Amazon Corretto Crypto Provider, required: the CA does not start without it. */
    ACCP,
    /**
     * Bouncy Castle, pure Java: the fallback. (The JDK's SunEC and SunRsaSign are not offered: they
     * are two providers, one per key type, and no faster; see samples/README.md.)
     */
    BOUNCY_CASTLE
}
