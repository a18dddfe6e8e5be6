/**
 * Active Directory over LDAP with the UnboundID SDK: {@link org.autoenroll.ldap.LdapDirectoryLookup}
 * implements {@link org.autoenroll.api.DirectoryLookup}, configured by {@link org.autoenroll.ldap.LdapSettings};
 * {@link org.autoenroll.ldap.LdapDirectoryPublisher} implements {@link org.autoenroll.api.DirectoryPublisher}
 * over the lookup's pools (core's {@code CertificateCleanup} decides which {@code userCertificate}
 * values go); {@link org.autoenroll.ldap.AdServerVerifier} checks an AD server record
 * step by step and {@link org.autoenroll.ldap.internal.AdServerCsv} imports records from CSV.
 */
package org.autoenroll.ldap;