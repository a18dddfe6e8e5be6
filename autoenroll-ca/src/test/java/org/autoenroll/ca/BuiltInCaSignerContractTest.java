package org.autoenroll.ca;

import java.nio.file.Path;
import java.time.Clock;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.testkit.CertificateSignerContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The built-in CA passes the signer contract integrators run on their own CAs, with an EC and an RSA key. */
class BuiltInCaSignerContractTest {
    @Nested
    class EcP256 extends CertificateSignerContract {
        @TempDir
        Path dir;

        @Override
        protected CertificateSigner signer() throws Exception {
            return BuiltInCa.open(Fixtures.settings(dir, CaKeyType.EC_P256), Clock.systemUTC());
        }
    }

    @Nested
    class Rsa2048 extends CertificateSignerContract {
        @TempDir
        Path dir;

        @Override
        protected CertificateSigner signer() throws Exception {
            return BuiltInCa.open(Fixtures.settings(dir, CaKeyType.RSA_2048), Clock.systemUTC());
        }
    }
}
