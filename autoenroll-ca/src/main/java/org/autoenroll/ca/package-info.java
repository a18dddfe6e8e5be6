/**
 * The built-in certificate authority: {@link org.autoenroll.ca.BuiltInCa} signs (PKCS#12 key
 * store, generated on first start), {@link org.autoenroll.ca.JdbcCertificateStore} records issued
 * certificates, requests and persons (H2 by default), {@link org.autoenroll.ca.CrlPublisher}
 * serves the CRL. Each is built with plain constructors or factories; none keeps global state.
 */
package org.autoenroll.ca;
