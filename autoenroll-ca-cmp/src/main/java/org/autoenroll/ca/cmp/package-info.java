/**
 * A {@link org.autoenroll.api.CertificateSigner} in front of a CMP CA (RFC 4210 / RFC 9483 over
 * HTTP, RFC 6712): {@link org.autoenroll.ca.cmp.CmpCertificateSigner}, protected as
 * {@link org.autoenroll.ca.cmp.CmpProtection} says.
 *
 * @since 0.1
 */
package org.autoenroll.ca.cmp;
