/**
 * An in-JVM Active Directory look-alike for integrators' tests and demo mode:
 * {@link org.autoenroll.ldap.testkit.InMemoryActiveDirectory} with users described by
 * {@link org.autoenroll.ldap.testkit.UserSpec}.
 */
package org.autoenroll.ldap.testkit;
