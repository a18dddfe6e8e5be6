package org.autoenroll.kerberos;

import org.autoenroll.kerberos.testkit.KdcFixture;

/**
 * The JVM's one KDC with the principals every test class uses: user alice, service HTTP/localhost
 * and its keytab. Started once, on first use (only one Kerby KDC fits in a JVM).
 */
final class TestRealm {
    static final String USER = "alice";
    static final String PASSWORD = "alice-secret-1";
    static final String SERVICE = "HTTP/localhost";

    private static byte[] keytab;

    private TestRealm() {
    }

    static synchronized KdcFixture kdc() {
        KdcFixture kdc = KdcFixture.shared();
        if (keytab == null) {
            kdc.addUser(USER, PASSWORD);
            kdc.addService(SERVICE);
            keytab = kdc.keytab(SERVICE);
        }
        return kdc;
    }

    static String realm() {
        return kdc().realm();
    }

    static synchronized byte[] keytab() {
        kdc();
        return keytab.clone();
    }
}
