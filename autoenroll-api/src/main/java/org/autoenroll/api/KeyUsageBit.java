package org.autoenroll.api;

/**
 * The key usage bits an end-entity certificate may carry (RFC 5280 4.2.1.3), by their bit number.
 *
 * @since 0.2
 */
public enum KeyUsageBit {
    DIGITAL_SIGNATURE(0), NON_REPUDIATION(1), KEY_ENCIPHERMENT(2), DATA_ENCIPHERMENT(3), KEY_AGREEMENT(4);

    private final int bit;

    KeyUsageBit(int bit) {
        this.bit = bit;
    }

    /** The bit number in the KeyUsage BIT STRING. */
    public int bit() {
        return bit;
    }
}
