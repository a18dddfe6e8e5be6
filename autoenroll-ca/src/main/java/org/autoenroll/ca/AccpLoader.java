package org.autoenroll.ca;

import java.security.Provider;

/**
 * The only class that names the Amazon Corretto Crypto Provider, so that the CA runs without its
 * jar (an optional dependency): a missing class or native library shows here as a reason, never as
 * an error elsewhere. Stateless.
 */
final class AccpLoader {
    /** The provider, or null and why it cannot be used. */
    record Loaded(Provider provider, String error) {
    }

    private AccpLoader() {
    }

    static Loaded load() {
        try {
            com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider accp =
                    com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable loadingError = accp.getLoadingError();
            if (loadingError != null) {
                return new Loaded(null, "its native library did not load: " + loadingError);
            }
            // runs its self-tests (or throws what they found); a provider that fails them must not sign
            accp.assertHealthy();
            return new Loaded(accp, null);
        } catch (LinkageError e) {
            // NoClassDefFoundError: the jar is not on the class path; UnsatisfiedLinkError: wrong platform
            return new Loaded(null, "it is not on the class path or not built for this platform ("
                    + e.getClass().getSimpleName() + ")");
        } catch (RuntimeException e) {
            return new Loaded(null, "its self-tests failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
