package org.autoenroll.kerberos.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.CheckSumHandler;
import org.apache.kerby.kerberos.kerb.type.base.CheckSumType;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;

/**
 * Builds a Windows PAC (MS-PAC) as an AD domain controller does, for tests: PACTYPE header, a
 * KERB_VALIDATION_INFO (type 1) in NDR type serialization version 1 with groups and extra SIDs,
 * PAC_CLIENT_INFO (type 10), server (type 6) and KDC (type 7) signatures computed with the given
 * keys (HMAC-SHA1-96-AES per key enctype, HMAC-MD5 for RC4). Embed it in a ticket with
 * {@link TicketForger#pac(byte[])}. Written independently of the acceptor's parser.
 * Not thread-safe; one builder per PAC.
 */
public final class PacBuilder {
    /** SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED. */
    public static final int GROUP_ATTRIBUTES = 7;

    private String accountName;
    private String clientInfoName;
    private Instant authTime;
    private String domainSid = "S-1-5-21-1004336348-1177238915-682003330";
    private String domainName = "EXAMPLE";
    private long userRid = 1105;
    private long primaryGroupRid = 513;
    private final List<long[]> groups = new ArrayList<>();
    private final List<String> extraSids = new ArrayList<>();
    private boolean withLogonInfo = true;
    private String upn;
    private String upnSamName;

    public PacBuilder(String accountName, Instant authTime) {
        this.accountName = Objects.requireNonNull(accountName);
        this.clientInfoName = accountName;
        this.authTime = Objects.requireNonNull(authTime);
        groups.add(new long[] {513, GROUP_ATTRIBUTES});
    }

    public PacBuilder domainSid(String sid) {
        this.domainSid = sid;
        return this;
    }

    public PacBuilder userRid(long rid) {
        this.userRid = rid;
        return this;
    }

    public PacBuilder primaryGroupRid(long rid) {
        this.primaryGroupRid = rid;
        return this;
    }

    /** A group of the user's domain, by RID (Domain Users 513 is there by default). */
    public PacBuilder addGroup(long rid) {
        groups.add(new long[] {rid, GROUP_ATTRIBUTES});
        return this;
    }

    /** A SID of another domain or a well-known one (ExtraSids), e.g. {@code S-1-18-1}. */
    public PacBuilder addExtraSid(String sid) {
        extraSids.add(sid);
        return this;
    }

    /** The logon info's EffectiveName (by default the constructor's account name). */
    public PacBuilder accountName(String name) {
        this.accountName = name;
        return this;
    }

    /** The client info's name (by default the constructor's account name). */
    public PacBuilder clientInfoName(String name) {
        this.clientInfoName = name;
        return this;
    }

    /**
     * Adds a UPN_DNS_INFO buffer (type 12) with this UPN and, when {@code samName} is not null,
     * flag S with that sAMAccountName and the user's SID, as Windows and Samba KDCs write it.
     */
    public PacBuilder upnDnsInfo(String upn, String samName) {
        this.upn = upn;
        this.upnSamName = samName;
        return this;
    }

    /** Leave out the logon info, as MIT krb5 1.20+ KDCs do (client info and signatures only). */
    public PacBuilder withoutLogonInfo() {
        this.withLogonInfo = false;
        return this;
    }

    public PacBuilder authTime(Instant time) {
        this.authTime = time;
        return this;
    }

    /** The PAC signed with the service key (server signature) and a KDC key (KDC signature). */
    public byte[] build(EncryptionKey serviceKey, EncryptionKey kdcKey) {
        byte[] logon = logonInfo();
        byte[] client = clientInfo();
        int serverType = checksumType(serviceKey);
        int kdcType = checksumType(kdcKey);
        byte[][] buffers = {client, signatureBuffer(serverType), signatureBuffer(kdcType), logon};
        int[] types = {10, 6, 7, 1};
        if (!withLogonInfo) {
            buffers = Arrays.copyOf(buffers, 3);
        }
        if (upn != null) {
            buffers = Arrays.copyOf(buffers, buffers.length + 1);
            buffers[buffers.length - 1] = upnDnsInfoBuffer();
            types = Arrays.copyOf(types, 5);
            types[buffers.length - 1] = 12;
        }
        int offset = 8 + 16 * buffers.length;
        Out out = new Out();
        out.u32(buffers.length);
        out.u32(0);
        int[] offsets = new int[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            offset = (offset + 7) & ~7;
            offsets[i] = offset;
            out.u32(types[i]);
            out.u32(buffers[i].length);
            out.u32(offset);
            out.u32(0);
            offset += buffers[i].length;
        }
        for (int i = 0; i < buffers.length; i++) {
            out.padTo(offsets[i]);
            out.bytes(buffers[i]);
        }
        out.padTo((out.size() + 7) & ~7);
        byte[] pac = out.toByteArray();
        // server signature over the PAC with both signatures zero; the KDC's over the server signature
        byte[] serverSig = checksum(serverType, serviceKey, pac);
        System.arraycopy(serverSig, 0, pac, offsets[1] + 4, serverSig.length);
        byte[] kdcSig = checksum(kdcType, kdcKey, serverSig);
        System.arraycopy(kdcSig, 0, pac, offsets[2] + 4, kdcSig.length);
        return pac;
    }

    /** UPN_DNS_INFO: lengths and offsets (from the buffer start), flags, then the UTF-16LE strings. */
    private byte[] upnDnsInfoBuffer() {
        byte[] upnBytes = upn.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        byte[] dns = domainName.toLowerCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        byte[] sam = upnSamName == null ? new byte[0] : upnSamName.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        int header = upnSamName == null ? 16 : 24;
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(header + upnBytes.length + dns.length + sam.length + 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.putShort((short) upnBytes.length).putShort((short) header)
                .putShort((short) dns.length).putShort((short) (header + upnBytes.length))
                .putInt(upnSamName == null ? 0 : 2);
        if (upnSamName != null) {
            out.putShort((short) sam.length).putShort((short) (header + upnBytes.length + dns.length)).putShort((short) 0)
                    .putShort((short) 0);
        }
        while (out.position() < header) {
            out.put((byte) 0);
        }
        out.put(upnBytes).put(dns).put(sam);
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    /** Offset of the server signature's Signature field in a PAC from {@link #build}. */
    public static int serverSignatureOffset(byte[] pac) {
        int count = le32(pac, 0);
        for (int i = 0; i < count; i++) {
            if (le32(pac, 8 + 16 * i) == 6) {
                return le32(pac, 8 + 16 * i + 8) + 4;
            }
        }
        throw new IllegalArgumentException("no server signature");
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static int checksumType(EncryptionKey key) {
        EncryptionType type = key.getKeyType();
        if (type == EncryptionType.AES256_CTS_HMAC_SHA1_96) {
            return 16;
        }
        if (type == EncryptionType.AES128_CTS_HMAC_SHA1_96) {
            return 15;
        }
        if (type == EncryptionType.ARCFOUR_HMAC) {
            return -138;
        }
        throw new IllegalArgumentException("no PAC checksum for " + type);
    }

    private static byte[] signatureBuffer(int type) {
        Out out = new Out();
        out.u32(type);
        out.bytes(new byte[type == -138 ? 16 : 12]);
        return out.toByteArray();
    }

    /** Usage 17 (KERB_NON_KERB_CKSUM_SALT). */
    public static byte[] checksum(int type, EncryptionKey key, byte[] data) {
        try {
            if (type == -138) {
                Mac mac = Mac.getInstance("HmacMD5");
                mac.init(new SecretKeySpec(key.getKeyData(), "HmacMD5"));
                byte[] ksign = mac.doFinal("signaturekey\0".getBytes(StandardCharsets.US_ASCII));
                MessageDigest md5 = MessageDigest.getInstance("MD5");
                md5.update(new byte[] {17, 0, 0, 0});
                mac.init(new SecretKeySpec(ksign, "HmacMD5"));
                return mac.doFinal(md5.digest(data));
            }
            CheckSumType kerby = type == 16 ? CheckSumType.HMAC_SHA1_96_AES256 : CheckSumType.HMAC_SHA1_96_AES128;
            return CheckSumHandler.checksumWithKey(kerby, data, key.getKeyData(), KeyUsage.APP_DATA_CKSUM).getChecksum();
        } catch (GeneralSecurityException | KrbException e) {
            throw new IllegalStateException("cannot compute PAC checksum", e);
        }
    }

    private byte[] clientInfo() {
        Out out = new Out();
        long filetime = (authTime.getEpochSecond() + 11_644_473_600L) * 10_000_000L;
        out.u32(filetime);
        out.u32(filetime >>> 32);
        byte[] name = clientInfoName.getBytes(StandardCharsets.UTF_16LE);
        out.u16(name.length);
        out.bytes(name);
        return out.toByteArray();
    }

    /** KERB_VALIDATION_INFO, NDR20 little-endian, with the type serialization headers. */
    private byte[] logonInfo() {
        Out ndr = new Out();
        int[] referent = {0x00020000};
        ndr.u32(referent[0]); // top-level pointer
        for (int i = 0; i < 6; i++) { // LogonTime .. PasswordMustChange
            ndr.u32(0);
            ndr.u32(i == 1 || i == 2 || i == 5 ? 0x7FFFFFFF : 0);
        }
        String[] strings = {accountName, "Test User", "", "", "", ""};
        for (String s : strings) {
            unicodeHeader(ndr, s, referent);
        }
        ndr.u16(3); // LogonCount
        ndr.u16(0);
        ndr.u32(userRid);
        ndr.u32(primaryGroupRid);
        ndr.u32(groups.size());
        ndr.u32(groups.isEmpty() ? 0 : ++referent[0]);
        ndr.u32(extraSids.isEmpty() ? 0 : 0x20); // UserFlags: D_EXTRA_SIDS
        ndr.bytes(new byte[16]); // UserSessionKey
        unicodeHeader(ndr, "DC1", referent);
        unicodeHeader(ndr, domainName, referent);
        ndr.u32(++referent[0]); // LogonDomainId
        ndr.u32(0);
        ndr.u32(0); // Reserved1
        ndr.u32(0x210); // UserAccountControl: NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD
        ndr.u32(0); // SubAuthStatus
        ndr.bytes(new byte[16]); // LastSuccessfulILogon, LastFailedILogon
        ndr.u32(0); // FailedILogonCount
        ndr.u32(0); // Reserved3
        ndr.u32(extraSids.size());
        ndr.u32(extraSids.isEmpty() ? 0 : ++referent[0]);
        ndr.u32(0); // ResourceGroupDomainSid
        ndr.u32(0); // ResourceGroupCount
        ndr.u32(0); // ResourceGroupIds
        // deferred pointees, in pointer order
        for (String s : strings) {
            unicodeBody(ndr, s);
        }
        if (!groups.isEmpty()) {
            ndr.align4();
            ndr.u32(groups.size());
            for (long[] group : groups) {
                ndr.u32(group[0]);
                ndr.u32(group[1]);
            }
        }
        unicodeBody(ndr, "DC1");
        unicodeBody(ndr, domainName);
        sid(ndr, domainSid);
        if (!extraSids.isEmpty()) {
            ndr.align4();
            ndr.u32(extraSids.size());
            for (int i = 0; i < extraSids.size(); i++) {
                ndr.u32(++referent[0]);
                ndr.u32(GROUP_ATTRIBUTES);
            }
            for (String extra : extraSids) {
                sid(ndr, extra);
            }
        }
        while (ndr.size() % 8 != 0) {
            ndr.u8(0);
        }
        byte[] body = ndr.toByteArray();
        Out out = new Out();
        out.bytes(new byte[] {1, 0x10, 8, 0, (byte) 0xCC, (byte) 0xCC, (byte) 0xCC, (byte) 0xCC});
        out.u32(body.length);
        out.u32(0);
        out.bytes(body);
        return out.toByteArray();
    }

    private static void unicodeHeader(Out ndr, String s, int[] referent) {
        ndr.u16(s.length() * 2);
        ndr.u16(s.length() * 2);
        ndr.u32(++referent[0]); // Windows sends a pointer even for empty strings
    }

    private static void unicodeBody(Out ndr, String s) {
        ndr.align4();
        ndr.u32(s.length());
        ndr.u32(0);
        ndr.u32(s.length());
        ndr.bytes(s.getBytes(StandardCharsets.UTF_16LE));
    }

    private static void sid(Out ndr, String sid) {
        String[] parts = sid.split("-");
        long[] subs = Arrays.stream(parts, 3, parts.length).mapToLong(Long::parseLong).toArray();
        ndr.align4();
        ndr.u32(subs.length);
        ndr.u8(Integer.parseInt(parts[1]));
        ndr.u8(subs.length);
        long authority = Long.parseLong(parts[2]);
        for (int shift = 40; shift >= 0; shift -= 8) {
            ndr.u8((int) (authority >> shift));
        }
        for (long sub : subs) {
            ndr.u32(sub);
        }
    }

    /** Little-endian writer; NDR alignment relative to its own start. */
    private static final class Out {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void u8(int v) {
            out.write(v);
        }

        void u16(int v) {
            out.write(v);
            out.write(v >> 8);
        }

        void u32(long v) {
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >> (8 * i)));
            }
        }

        void bytes(byte[] b) {
            out.writeBytes(b);
        }

        void align4() {
            while (out.size() % 4 != 0) {
                out.write(0);
            }
        }

        void padTo(int size) {
            while (out.size() < size) {
                out.write(0);
            }
        }

        int size() {
            return out.size();
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
