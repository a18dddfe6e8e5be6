/**
 * Kerberos (SPNEGO/Negotiate) authentication for autoenroll: {@link org.autoenroll.kerberos.KerberosAcceptor}
 * validates tokens with keys from one keytab per realm, on Apache Kerby, without JAAS or any JVM-global state;
 * it verifies the PAC of AD/Samba (and MIT 1.20+) tickets and hands on the user and group SIDs.
 * {@link org.autoenroll.kerberos.ReplayCache} is the seam for the replay cache:
 * {@link org.autoenroll.kerberos.InMemoryReplayCache} for one process,
 * {@link org.autoenroll.kerberos.JdbcReplayCache} shared by servers on one database.
 * {@link org.autoenroll.kerberos.KeytabMaker} makes keytabs from passwords with AD's and MIT's salt rules.
 *
 * <p>Tests of other modules use {@code org.autoenroll.kerberos.testkit.KdcFixture} from this module's test-jar.
 */
package org.autoenroll.kerberos;
