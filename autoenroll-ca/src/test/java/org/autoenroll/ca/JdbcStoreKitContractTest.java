package org.autoenroll.ca;

import java.nio.file.Path;
import java.time.Clock;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.PersonStore;
import org.autoenroll.testkit.CertificateStoreContract;
import org.autoenroll.testkit.PersonStoreContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDBC store on H2 passes the testkit's store contracts, as an integrator's store would; its
 * own, deeper contract ({@link JdbcCertificateStoreContract}) covers the database specifics.
 */
class JdbcStoreKitContractTest {
    @Nested
    class Certificates extends CertificateStoreContract {
        @TempDir
        Path dir;

        @Override
        protected CertificateStore newStore(Clock clock) throws Exception {
            return JdbcCertificateStore.h2(dir, clock);
        }
    }

    @Nested
    class Persons extends PersonStoreContract {
        @TempDir
        Path dir;

        @Override
        protected PersonStore newStore() throws Exception {
            return JdbcCertificateStore.h2(dir, Clock.systemUTC());
        }
    }
}
