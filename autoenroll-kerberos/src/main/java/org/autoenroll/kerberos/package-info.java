/**
 * Kerberos (SPNEGO/Negotiate) authentication for autoenroll: {@link org.autoenroll.kerberos.KerberosAcceptor}
 * validates tokens with keys from one keytab per realm, on Apache Kerby, without JAAS or any JVM-global state;
 * {@link org.autoenroll.kerberos.ReplayCache} is the seam for a replay cache shared between servers.
 *
 * <p>Tests of other modules use {@code org.autoenroll.kerberos.testkit.KdcFixture} from this module's test-jar.
 */
package org.autoenroll.kerberos;
