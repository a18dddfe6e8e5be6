package org.autoenroll.ca;

import java.nio.file.Path;
import java.util.Objects;
import org.autoenroll.api.SecretRef;

/**
 * Where the CA key lives when it is kept in a PKCS#11 token (an HSM, SoftHSM2) instead of a
 * PKCS#12 file: the PKCS#11 library, the token's slot (its slot ID, or its index in the slot
 * list), the user PIN as a {@link SecretRef}, and the alias (CKA_LABEL) of the CA key and
 * certificate in the token. Used through the JDK's SunPKCS11 provider, configured per CA
 * instance (never registered globally).
 *
 * <p>The JDK 17 SunPKCS11 provider cannot select a token by its label, only by slot ID or slot
 * list index; for SoftHSM2 the slot ID is what {@code softhsm2-util --init-token} prints
 * ("reassigned to slot N") and {@code softhsm2-util --show-slots} lists.
 *
 * <p>Immutable and thread-safe.
 */
public final class Pkcs11Settings {
    /** The default alias of the CA key and certificate in the token. */
    public static final String DEFAULT_KEY_ALIAS = "autoenroll-ca";

    private final Path library;
    private final long slot;
    private final int slotListIndex;
    private final SecretRef pin;
    private final String keyAlias;

    private Pkcs11Settings(Path library, long slot, int slotListIndex, SecretRef pin, String keyAlias) {
        this.library = Objects.requireNonNull(library, "library").toAbsolutePath().normalize();
        this.slot = slot;
        this.slotListIndex = slotListIndex;
        this.pin = Objects.requireNonNull(pin, "pin");
        this.keyAlias = keyAlias == null ? DEFAULT_KEY_ALIAS : keyAlias;
        String path = this.library.toString();
        if (path.indexOf('"') >= 0 || path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0 || path.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("the PKCS#11 library path must not contain quotes, backslashes or line breaks");
        }
        if (this.keyAlias.isEmpty() || this.keyAlias.length() > 128) {
            throw new IllegalArgumentException("the PKCS#11 key alias must have 1 to 128 characters");
        }
    }

    /**
     * The token in the slot with this ID.
     *
     * @param library e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
     * @param keyAlias null for {@link #DEFAULT_KEY_ALIAS}
     */
    public static Pkcs11Settings slot(Path library, long slotId, SecretRef pin, String keyAlias) {
        if (slotId < 0) {
            throw new IllegalArgumentException("the PKCS#11 slot ID must not be negative");
        }
        return new Pkcs11Settings(library, slotId, -1, pin, keyAlias);
    }

    /** The token in the slot at this index of the library's slot list (0: the first). */
    public static Pkcs11Settings slotListIndex(Path library, int index, SecretRef pin, String keyAlias) {
        if (index < 0) {
            throw new IllegalArgumentException("the PKCS#11 slot list index must not be negative");
        }
        return new Pkcs11Settings(library, -1, index, pin, keyAlias);
    }

    public Path library() {
        return library;
    }

    /** The slot ID, or -1 when the slot is chosen by {@link #slotListIndex()}. */
    public long slot() {
        return slot;
    }

    /** The slot list index, or -1 when the slot is chosen by {@link #slot()}. */
    public int slotListIndex() {
        return slotListIndex;
    }

    public SecretRef pin() {
        return pin;
    }

    public String keyAlias() {
        return keyAlias;
    }

    /**
     * The SunPKCS11 configuration, inline (the {@code --} form of {@code Provider.configure}).
     * Generated keys are token objects, private, sensitive and not extractable: the CA key never
     * leaves the token.
     */
    String sunPkcs11Config() {
        StringBuilder config = new StringBuilder("--name = autoenroll-ca\n");
        config.append("library = \"").append(library).append("\"\n");
        if (slot >= 0) {
            config.append("slot = ").append(slot).append('\n');
        } else {
            config.append("slotListIndex = ").append(slotListIndex).append('\n');
        }
        config.append("attributes(generate, CKO_PRIVATE_KEY, *) = {\n"
                + "  CKA_TOKEN = true\n  CKA_PRIVATE = true\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n");
        config.append("attributes(generate, CKO_PUBLIC_KEY, *) = {\n  CKA_TOKEN = true\n}\n");
        return config.toString();
    }

    @Override
    public String toString() {
        // the PIN reference prints as the reference only
        return "Pkcs11Settings[library=" + library + ", " + (slot >= 0 ? "slot=" + slot : "slotListIndex=" + slotListIndex)
                + ", pin=" + pin + ", keyAlias=" + keyAlias + "]";
    }
}
