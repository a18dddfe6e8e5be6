package org.autoenroll.ca;

import java.nio.file.Path;
import java.time.Clock;
import org.autoenroll.api.CertificateSigner;
import org.autoenroll.testkit.CertificateSignerContract;
import org.junit.jupiter.api.io.TempDir;

/** The built-in CA (EC P-256 key) passes the signer contract integrators run on their own CAs. */
class BuiltInCaSignerContractTest extends CertificateSignerContract {
    @TempDir
    Path dir;

    @Override
    protected CertificateSigner signer() throws Exception {
        return BuiltInCa.open(Fixtures.settings(dir, CaKeyType.EC_P256), Clock.systemUTC());
    }
}
