package org.autoenroll.ca;

import java.security.Provider;
import java.util.Objects;
import java.util.function.Supplier;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Resolves a {@link CryptoProviderChoice} to a provider instance. Nothing is registered globally:
 * Bouncy Castle is a new instance, and the Amazon
 * Corretto Crypto Provider is its library's own instance ({@code AmazonCorrettoCryptoProvider.INSTANCE}),
 * which is not added to the provider list either. Stateless.
 *
 * @since 0.1
 */
public final class CryptoProviders {
    private CryptoProviders() {
    }

    /**
     * The provider chosen, what it is, and why the choice fell back (null when it did not).
     *
     * @param provider the provider instance to pass to {@code Signature.getInstance(alg, provider)}
     * @param fallbackReason why {@link CryptoProviderChoice#AUTO} did not get the native provider, or null
     */
    public record Resolved(Provider provider, CryptoProviderChoice choice, String fallbackReason) {
        public Resolved {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(choice, "choice");
        }

        /** Whether the native provider signs and verifies. */
        public boolean isNative() {
            return choice == CryptoProviderChoice.ACCP;
        }

        /** For logs: the provider's name and version, and the fallback reason if any. */
        public String describe() {
            return provider.getName() + " " + provider.getVersionStr()
                    + (fallbackReason == null ? "" : " (fallback: " + fallbackReason + ")");
        }
    }

    /**
     * The provider for {@code choice}; {@link CryptoProviderChoice#AUTO} resolves to ACCP or to
     * Bouncy Castle, never to AUTO.
     *
     * @throws CaStartupException when {@link CryptoProviderChoice#ACCP} is required but cannot load
     */
    public static Resolved resolve(CryptoProviderChoice choice) throws CaStartupException {
        return resolve(choice, AccpLoader::load);
    }

    /** As {@link #resolve(CryptoProviderChoice)}, with the native provider's loader given (tests simulate its absence). */
    static Resolved resolve(CryptoProviderChoice choice, Supplier<AccpLoader.Loaded> nativeLoader)
            throws CaStartupException {
        Objects.requireNonNull(choice, "choice");
        switch (choice) {
            case BOUNCY_CASTLE:
                return new Resolved(new BouncyCastleProvider(), CryptoProviderChoice.BOUNCY_CASTLE, null);
            case ACCP: {
                AccpLoader.Loaded loaded = nativeLoader.get();
                if (loaded.provider() == null) {
                    throw new CaStartupException(CaStartupException.Reason.CRYPTO_PROVIDER_UNAVAILABLE,
                            "the CA is configured for the Amazon Corretto Crypto Provider, which cannot be used here: "
                                    + loaded.error() + "; choose AUTO or BOUNCY_CASTLE", null);
                }
                return new Resolved(loaded.provider(), CryptoProviderChoice.ACCP, null);
            }
            default: {
                AccpLoader.Loaded loaded = nativeLoader.get();
                if (loaded.provider() != null) {
                    return new Resolved(loaded.provider(), CryptoProviderChoice.ACCP, null);
                }
                return new Resolved(new BouncyCastleProvider(), CryptoProviderChoice.BOUNCY_CASTLE, loaded.error());
            }
        }
    }
}
