/**
 * Active Directory over LDAP with the UnboundID SDK: {@link org.autoenroll.ldap.LdapDirectoryLookup}
 * implements {@link org.autoenroll.api.DirectoryLookup}, configured by {@link org.autoenroll.ldap.LdapSettings}.
 */
package org.autoenroll.ldap;
