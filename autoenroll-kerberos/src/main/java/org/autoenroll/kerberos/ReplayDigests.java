package org.autoenroll.kerberos;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Turns a {@link ReplayCache.Key} into two 64-bit tags, so that the in-memory cache keeps 16
 * bytes per authenticator and no names: the client's tag (its share is counted by it) and the
 * authenticator's tag (client, server, ctime and cusec). Both are SHA-256 under a random secret
 * drawn per cache, truncated: a client cannot aim a collision at another's entry, and an accidental
 * one (two authenticators of one client with equal 64-bit tags in one ctime bucket: about
 * 1,000² / 2^65 per bucket at the default share) would only refuse a token, never accept a replay.
 *
 * <p>Thread-safe: each call clones the keyed prototypes.
 */
final class ReplayDigests {
    private final MessageDigest clientPrototype;
    private final MessageDigest keyPrototype;

    ReplayDigests(SecureRandom random) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.clientPrototype = keyed(secret, (byte) 1);
        this.keyPrototype = keyed(secret, (byte) 2);
    }

    private static MessageDigest keyed(byte[] secret, byte domain) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(secret);
            digest.update(domain);
            return digest;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    long clientTag(String client) {
        MessageDigest digest = copy(clientPrototype);
        return first8(digest.digest(client.getBytes(StandardCharsets.UTF_8)));
    }

    /** Never 0: 0 marks an empty slot in {@link ExpiryBucket}. */
    long keyTag(ReplayCache.Key key) {
        MessageDigest digest = copy(keyPrototype);
        byte[] client = key.client().getBytes(StandardCharsets.UTF_8);
        byte[] server = key.server().getBytes(StandardCharsets.UTF_8);
        // length-prefixed, so that no two keys share an encoding
        byte[] fixed = new byte[8 + 8 + 4];
        putInt(fixed, 0, client.length);
        putInt(fixed, 4, server.length);
        long ctime = key.ctimeSeconds();
        for (int i = 0; i < 8; i++) {
            fixed[8 + i] = (byte) (ctime >>> (56 - 8 * i));
        }
        putInt(fixed, 16, key.cusec());
        digest.update(fixed);
        digest.update(client);
        digest.update(server);
        long tag = first8(digest.digest());
        return tag == 0 ? 1 : tag;
    }

    private static MessageDigest copy(MessageDigest prototype) {
        try {
            return (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
        }
    }

    private static void putInt(byte[] out, int at, int value) {
        out[at] = (byte) (value >>> 24);
        out[at + 1] = (byte) (value >>> 16);
        out[at + 2] = (byte) (value >>> 8);
        out[at + 3] = (byte) value;
    }

    private static long first8(byte[] hash) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | (hash[i] & 0xff);
        }
        return value;
    }
}
