package org.autoenroll.kerberos;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The PAC's UPN_DNS_INFO buffer (type 12, MS-PAC 2.10): the user principal name the KDC mapped
 * the client to, its DNS domain, and (flag S, 0x2) the account's sAMAccountName. Windows and Samba
 * KDCs write it; it is what ties a ticket for {@code john.doe} or for the enterprise name
 * {@code carol@corp.example} to the account {@code jdoe} the logon info names. Immutable.
 *
 * @param upn the user principal name, never null
 * @param samName the sAMAccountName when flag S is set, else null
 */
record PacUpnDnsInfo(String upn, String samName) {
    static final int TYPE = 12;
    private static final int FLAG_SAM_NAME_AND_SID = 0x2;

    /** Reads the buffer at {@code offset} of {@code size} bytes; strings lie at offsets from the buffer's start. */
    static PacUpnDnsInfo read(byte[] pac, int offset, int size) throws Pac.Malformed {
        if (size < 12) {
            throw new Pac.Malformed("UPN_DNS_INFO buffer too short");
        }
        ByteBuffer in = ByteBuffer.wrap(pac, offset, size).slice().order(ByteOrder.LITTLE_ENDIAN);
        int upnLength = Short.toUnsignedInt(in.getShort(0));
        int upnOffset = Short.toUnsignedInt(in.getShort(2));
        int flags = in.getInt(8);
        String upn = string(pac, offset, size, upnOffset, upnLength, "UPN");
        if (upn.isEmpty()) {
            throw new Pac.Malformed("UPN_DNS_INFO has an empty UPN");
        }
        String sam = null;
        if ((flags & FLAG_SAM_NAME_AND_SID) != 0) {
            if (size < 16) {
                throw new Pac.Malformed("UPN_DNS_INFO with flag S too short");
            }
            sam = string(pac, offset, size, Short.toUnsignedInt(in.getShort(14)), Short.toUnsignedInt(in.getShort(12)),
                    "SamName");
        }
        return new PacUpnDnsInfo(upn, sam);
    }

    private static String string(byte[] pac, int base, int size, int offset, int length, String what) throws Pac.Malformed {
        if (length % 2 != 0 || offset > size || length > size - offset) {
            throw new Pac.Malformed("UPN_DNS_INFO " + what + " lies outside its buffer");
        }
        return new String(pac, base + offset, length, StandardCharsets.UTF_16LE);
    }

    /**
     * True when this UPN is the ticket's client: the enterprise name itself, or {@code name@realm}
     * for an ordinary name (AD finds {@code john.doe} by its implicit UPN {@code john.doe@REALM}).
     * Case-insensitive, as AD compares UPNs.
     */
    boolean namesClient(String clientName, String clientRealm) {
        return upn.equalsIgnoreCase(clientName) || upn.equalsIgnoreCase(clientName + "@" + clientRealm);
    }
}
