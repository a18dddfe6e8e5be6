package org.autoenroll.client;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.jcajce.JcaPKCS8EncryptedPrivateKeyInfoBuilder;

/**
 * A key without a certificate yet (its request waits for approval) in the PKCS#12 store: an
 * encrypted PKCS#8 (PBES2, AES-256-CBC) under the store's password, since a PKCS#12 key entry
 * needs a certificate. Bouncy Castle's provider is passed to each call (its PBKDF2 and AES for
 * PKCS#8), never installed JVM-wide. Stateless.
 */
final class PendingKeys {
    private PendingKeys() {
    }

    static byte[] seal(PrivateKey key, char[] password) throws GeneralSecurityException, IOException {
        try {
            return new JcaPKCS8EncryptedPrivateKeyInfoBuilder(key)
                    .build(new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                            .setProvider(new BouncyCastleProvider()).setPassword(password).build())
                    .getEncoded();
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot encrypt the key", e);
        }
    }

    static PrivateKey open(byte[] sealed, char[] password) throws GeneralSecurityException, IOException {
        try {
            PrivateKeyInfo info = new PKCS8EncryptedPrivateKeyInfo(sealed)
                    .decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                            .setProvider(new BouncyCastleProvider()).build(password));
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (OperatorCreationException | PKCSException e) {
            throw new GeneralSecurityException("cannot decrypt the pending key (wrong --pkcs12-password?)", e);
        }
    }
}
