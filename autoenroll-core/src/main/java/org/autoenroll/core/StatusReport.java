package org.autoenroll.core;

/**
 * What a client reports about a certificate it received: raw values, checked by the service.
 *
 * @param customerUri the customer
 * @param serial the certificate's serial in hex
 * @param status one of {@link org.autoenroll.api.ReportedStatus}'s names
 */
public record StatusReport(String customerUri, String serial, String status) {
}
