package org.autoenroll.kerberos;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.CheckSumHandler;
import org.apache.kerby.kerberos.kerb.type.base.CheckSum;
import org.apache.kerby.kerberos.kerb.type.base.CheckSumType;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.autoenroll.api.EnrollmentException;

/**
 * Reads and checks a Windows PAC (MS-PAC): the PACTYPE header and its PAC_INFO_BUFFERs, the
 * KERB_VALIDATION_INFO logon info (type 1, NDR), the PAC_CLIENT_INFO (type 10) and the server
 * signature (type 6), verified with the service key over the whole PAC with the server and KDC
 * signature fields zeroed (HMAC-SHA1-96-AES256/128 per the key's enctype, or
 * KERB_CHECKSUM_HMAC_MD5 for RC4). The KDC signature (type 7) needs the krbtgt key and is not
 * verified here.
 *
 * <p>Every read is bounded by the buffer it belongs to; every refusal is an
 * {@link EnrollmentException} with AUTHENTICATION_ERROR whose detail holds no PAC bytes.
 * Stateless and thread-safe.
 */
final class Pac {
    static final int LOGON_INFO = 1;
    static final int SERVER_CHECKSUM = 6;
    static final int KDC_CHECKSUM = 7;
    static final int CLIENT_INFO = 10;

    /** KERB_CHECKSUM_HMAC_MD5 (-138) as an unsigned 32-bit value. */
    static final int HMAC_MD5 = -138;
    static final int HMAC_SHA1_96_AES128 = 15;
    static final int HMAC_SHA1_96_AES256 = 16;
    /** KERB_NON_KERB_CKSUM_SALT: the key usage of PAC signatures. */
    static final int SIGNATURE_KEY_USAGE = 17;

    /** Generous limits: AD tokens hold at most ~1,000 groups; a PAC has a handful of buffers. */
    static final int MAX_BUFFERS = 64;
    static final int MAX_SIDS = 8_192;
    static final int MAX_SUB_AUTHORITIES = 15;

    /** Seconds between 1601-01-01 (FILETIME epoch) and 1970-01-01. */
    private static final long FILETIME_EPOCH_OFFSET = 11_644_473_600L;

    /**
     * What the PAC says about the client, after every check passed. Without a logon info buffer
     * (MIT krb5 1.20+ KDCs put a PAC with client info and signatures only in every ticket)
     * account name, SIDs and domain are null and the groups empty.
     */
    record Logon(String accountName, String userSid, String domainSid, List<String> groupSids) {
        boolean hasSids() {
            return userSid != null;
        }
    }

    /** The structural content of a PAC, before the checks against the ticket and key. */
    record Parsed(String accountName, String userSid, String domainSid, List<String> groupSids, String clientInfoName,
            long clientInfoFiletime, int serverSignatureType, int serverSignatureOffset, int serverSignatureLength,
            int kdcSignatureOffset, int kdcSignatureLength, PacUpnDnsInfo upnDnsInfo) {
    }

    private Pac() {
    }

    /**
     * Parses the PAC, checks it against the ticket's client and authtime and verifies the server
     * signature with the key that decrypted the ticket.
     *
     * @param clientName the ticket's cname, components joined by '/'
     * @param clientRealm the ticket's crealm
     * @param authTimeSeconds the ticket's authtime in seconds since 1970
     */
    static Logon verify(byte[] pac, EncryptionKey serviceKey, String clientName, String clientRealm,
            long authTimeSeconds) throws EnrollmentException {
        Parsed parsed = parse(pac);
        verifyServerSignature(pac, parsed, serviceKey);
        // AD names are case-insensitive: the KDC may echo the case the user typed
        // the name without realm; with realm for enterprise and cross-realm clients (MS-PAC 2.7)
        if (!parsed.clientInfoName().equalsIgnoreCase(clientName)
                && !parsed.clientInfoName().equalsIgnoreCase(clientName + "@" + clientRealm)) {
            throw fail("the PAC client info names " + KerberosAcceptor.printable(parsed.clientInfoName())
                    + ", the ticket names " + KerberosAcceptor.printable(clientName));
        }
        long pacAuthTime = Math.floorDiv(parsed.clientInfoFiletime(), 10_000_000L) - FILETIME_EPOCH_OFFSET;
        if (pacAuthTime != authTimeSeconds) {
            throw fail("the PAC client info authtime differs from the ticket's authtime");
        }
        if (parsed.accountName() != null && !parsed.accountName().equalsIgnoreCase(clientName)
                && !loggedOnByUpn(parsed, clientName, clientRealm)) {
            throw fail("the PAC logon info is for account " + KerberosAcceptor.printable(parsed.accountName())
                    + ", the ticket names " + KerberosAcceptor.printable(clientName));
        }
        return new Logon(parsed.accountName(), parsed.userSid(), parsed.domainSid(), parsed.groupSids());
    }

    /**
     * A user may log on by UPN: {@code kinit john.doe@REALM} for account {@code jdoe}, or the
     * enterprise name {@code carol@corp.example}; the ticket then names what the user typed and
     * the logon info the account. That is accepted only when the KDC says so in the same signed
     * PAC: its UPN_DNS_INFO names the ticket's client, and its sAMAccountName (when given) is the
     * logon info's account. A PAC for another account without that link (noPac, CVE-2021-42287)
     * is still refused; the directory lookup then checks the account and its SID again.
     */
    private static boolean loggedOnByUpn(Parsed parsed, String clientName, String clientRealm) {
        PacUpnDnsInfo upn = parsed.upnDnsInfo();
        return upn != null && upn.namesClient(clientName, clientRealm)
                && (upn.samName() == null || upn.samName().equalsIgnoreCase(parsed.accountName()));
    }

    /** Structure only: header, buffers, logon info, client info, where the signatures lie. */
    static Parsed parse(byte[] pac) throws EnrollmentException {
        try {
            return parseUnchecked(pac);
        } catch (Malformed e) {
            throw fail("malformed PAC: " + e.getMessage());
        } catch (RuntimeException e) {
            throw fail("malformed PAC");
        }
    }

    private static Parsed parseUnchecked(byte[] pac) throws Malformed {
        Le header = new Le(pac, 0, pac.length);
        long count = header.u32();
        long version = header.u32();
        if (version != 0) {
            throw new Malformed("unknown PAC version " + version);
        }
        if (count < 1 || count > MAX_BUFFERS) {
            throw new Malformed("buffer count " + count + " out of range 1.." + MAX_BUFFERS);
        }
        int headerEnd = 8 + 16 * (int) count;
        if (headerEnd > pac.length) {
            throw new Malformed("header longer than the PAC");
        }
        int[] logon = null;
        int[] client = null;
        int[] server = null;
        int[] kdc = null;
        int[] upnDns = null;
        for (int i = 0; i < count; i++) {
            long type = header.u32();
            long size = header.u32();
            long offset = header.u64();
            if (offset < headerEnd || offset > pac.length || size > pac.length - offset) {
                throw new Malformed("buffer of type " + type + " lies outside the PAC");
            }
            if (offset % 8 != 0) {
                throw new Malformed("buffer of type " + type + " is not 8-byte aligned");
            }
            int[] where = {(int) offset, (int) size};
            if (type == LOGON_INFO) {
                logon = once(logon, where, "logon info");
            } else if (type == CLIENT_INFO) {
                client = once(client, where, "client info");
            } else if (type == SERVER_CHECKSUM) {
                server = once(server, where, "server signature");
            } else if (type == KDC_CHECKSUM) {
                kdc = once(kdc, where, "KDC signature");
            } else if (type == PacUpnDnsInfo.TYPE) {
                upnDns = once(upnDns, where, "UPN_DNS_INFO");
            }
        }
        if (client == null) {
            throw new Malformed("no client info buffer (type 10)");
        }
        if (server == null) {
            throw new Malformed("no server signature buffer (type 6)");
        }
        Le clientInfo = new Le(pac, client[0], client[0] + client[1]);
        long filetime = clientInfo.u64();
        int nameLength = clientInfo.u16();
        if (nameLength % 2 != 0 || nameLength == 0) {
            throw new Malformed("client info name length " + nameLength + " is not a positive even number");
        }
        String clientName = new String(clientInfo.bytes(nameLength), StandardCharsets.UTF_16LE);

        Le serverSig = new Le(pac, server[0], server[0] + server[1]);
        int serverType = (int) serverSig.u32();
        int serverLength = signatureLength(serverType, server[1]);
        if (serverLength < 0 || 4 + serverLength > server[1]) {
            throw new Malformed("server signature of type " + serverType + " is not HMAC-SHA1-96-AES or HMAC-MD5 "
                    + "or is too short");
        }
        int kdcOffset = -1;
        int kdcLength = 0;
        if (kdc != null) {
            if (kdc[1] < 4) {
                throw new Malformed("KDC signature buffer too short");
            }
            int kdcType = (int) new Le(pac, kdc[0], kdc[0] + kdc[1]).u32();
            kdcLength = signatureLength(kdcType, kdc[1]);
            if (kdcLength < 0 || 4 + kdcLength > kdc[1]) {
                kdcLength = kdc[1] - 4; // another KDC checksum type: zero all of it
            }
            kdcOffset = kdc[0] + 4;
        }
        LogonInfo info = logon != null ? LogonInfo.read(new Le(pac, logon[0], logon[0] + logon[1])) : new LogonInfo();
        PacUpnDnsInfo upnDnsInfo = upnDns == null ? null : PacUpnDnsInfo.read(pac, upnDns[0], upnDns[1]);
        return new Parsed(info.accountName, info.userSid, info.domainSid, info.groupSids, clientName, filetime,
                serverType, server[0] + 4, serverLength, kdcOffset, kdcLength, upnDnsInfo);
    }

    private static int[] once(int[] existing, int[] where, String what) throws Malformed {
        if (existing != null) {
            throw new Malformed("two " + what + " buffers");
        }
        return where;
    }

    /** Length of the Signature field for a checksum type, -1 if the type is not one of ours. */
    private static int signatureLength(int type, int bufferSize) {
        return switch (type) {
            case HMAC_SHA1_96_AES128, HMAC_SHA1_96_AES256 -> 12;
            case HMAC_MD5 -> 16;
            default -> -1;
        };
    }

    private static void verifyServerSignature(byte[] pac, Parsed parsed, EncryptionKey serviceKey)
            throws EnrollmentException {
        int etype = serviceKey.getKeyType().getValue();
        int expectedType = switch (etype) {
            case Enctypes.AES256 -> HMAC_SHA1_96_AES256;
            case Enctypes.AES128 -> HMAC_SHA1_96_AES128;
            case Enctypes.RC4 -> HMAC_MD5;
            default -> 0;
        };
        if (parsed.serverSignatureType() != expectedType) {
            throw fail("the PAC server signature is of checksum type " + parsed.serverSignatureType()
                    + ", which does not match the service key's " + Enctypes.name(etype));
        }
        byte[] signature = Arrays.copyOfRange(pac, parsed.serverSignatureOffset(),
                parsed.serverSignatureOffset() + parsed.serverSignatureLength());
        byte[] zeroed = pac.clone();
        Arrays.fill(zeroed, parsed.serverSignatureOffset(),
                parsed.serverSignatureOffset() + parsed.serverSignatureLength(), (byte) 0);
        if (parsed.kdcSignatureOffset() >= 0) {
            Arrays.fill(zeroed, parsed.kdcSignatureOffset(), parsed.kdcSignatureOffset() + parsed.kdcSignatureLength(),
                    (byte) 0);
        }
        byte[] expected = checksum(expectedType, serviceKey.getKeyData(), zeroed);
        if (!MessageDigest.isEqual(signature, expected)) {
            throw fail("the PAC server signature does not verify with the service key (altered PAC)");
        }
    }

    /** The PAC signature of {@code data} with {@code key} (key usage 17). */
    static byte[] checksum(int type, byte[] key, byte[] data) throws EnrollmentException {
        if (type == HMAC_MD5) {
            return hmacMd5(key, data);
        }
        CheckSumType kerbyType = type == HMAC_SHA1_96_AES256 ? CheckSumType.HMAC_SHA1_96_AES256
                : CheckSumType.HMAC_SHA1_96_AES128;
        try {
            CheckSum sum = CheckSumHandler.checksumWithKey(kerbyType, data, key, KeyUsage.APP_DATA_CKSUM);
            return sum.getChecksum();
        } catch (KrbException e) {
            throw fail("the PAC server signature could not be computed");
        }
    }

    /**
     * KERB_CHECKSUM_HMAC_MD5 (RFC 4757 section 4): Ksign = HMAC-MD5(key, "signaturekey\0"),
     * result = HMAC-MD5(Ksign, MD5(usage as 4 little-endian bytes | data)).
     */
    private static byte[] hmacMd5(byte[] key, byte[] data) throws EnrollmentException {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            byte[] ksign = mac.doFinal("signaturekey\0".getBytes(StandardCharsets.US_ASCII));
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(new byte[] {SIGNATURE_KEY_USAGE, 0, 0, 0});
            byte[] tmp = md5.digest(data);
            mac.init(new SecretKeySpec(ksign, "HmacMD5"));
            return mac.doFinal(tmp);
        } catch (GeneralSecurityException e) {
            throw fail("the PAC server signature could not be computed (HMAC-MD5 unavailable)");
        }
    }

    /** S-1-5-21-...: revision, identifier authority, sub-authorities. */
    static String formatSid(int revision, long authority, long[] subAuthorities) {
        StringBuilder out = new StringBuilder("S-").append(revision).append('-');
        out.append(authority < (1L << 32) ? Long.toString(authority) : "0x" + String.format("%012X", authority));
        for (long sub : subAuthorities) {
            out.append('-').append(sub);
        }
        return out.toString();
    }

    private static EnrollmentException fail(String detail) {
        return NegotiateCodec.fail(detail);
    }

    /** A structural error; carries no PAC bytes. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * KERB_VALIDATION_INFO in an NDR type serialization version 1 stream (MS-RPCE 2.2.6): the
     * fixed part, then the deferred pointees in the order of their pointers.
     */
    private static final class LogonInfo {
        String accountName;
        String userSid;
        String domainSid;
        List<String> groupSids = List.of();

        static LogonInfo read(Le in) throws Malformed {
            // common type header: version 1, little-endian (0x10), header length 8, filler
            if (in.u8() != 1 || in.u8() != 0x10 || in.u16() != 8) {
                throw new Malformed("logon info is not a little-endian NDR type serialization (version 1)");
            }
            in.u32();
            long objectLength = in.u32();
            in.u32();
            if (objectLength > in.remaining()) {
                throw new Malformed("logon info object length exceeds its buffer");
            }
            if (in.u32() == 0) {
                throw new Malformed("logon info top-level pointer is null");
            }
            in.skip(6 * 8); // LogonTime, LogoffTime, KickOffTime, PasswordLastSet, PasswordCanChange, PasswordMustChange
            UnicodeString effectiveName = UnicodeString.header(in);
            UnicodeString[] others = new UnicodeString[5]; // FullName, LogonScript, ProfilePath, HomeDirectory, Drive
            for (int i = 0; i < others.length; i++) {
                others[i] = UnicodeString.header(in);
            }
            in.u16(); // LogonCount
            in.u16(); // BadPasswordCount
            long userId = in.u32();
            long primaryGroupId = in.u32();
            long groupCount = in.u32();
            long groupIdsPointer = in.u32();
            in.u32(); // UserFlags: D_EXTRA_SIDS/D_RESOURCE_GROUPS; the pointers below say the same
            in.skip(16); // UserSessionKey
            UnicodeString logonServer = UnicodeString.header(in);
            UnicodeString logonDomainName = UnicodeString.header(in);
            long logonDomainIdPointer = in.u32();
            in.skip(8); // Reserved1
            in.u32(); // UserAccountControl
            in.u32(); // SubAuthStatus
            in.skip(16); // LastSuccessfulILogon, LastFailedILogon
            in.u32(); // FailedILogonCount
            in.u32(); // Reserved3
            long sidCount = in.u32();
            long extraSidsPointer = in.u32();
            long resourceDomainPointer = in.u32();
            long resourceGroupCount = in.u32();
            long resourceGroupIdsPointer = in.u32();

            // deferred pointees, in pointer order
            String account = effectiveName.body(in, "EffectiveName");
            for (UnicodeString other : others) {
                other.body(in, "logon info string");
            }
            long[][] groups = ridArray(in, groupIdsPointer, groupCount, "GroupIds");
            logonServer.body(in, "LogonServer");
            logonDomainName.body(in, "LogonDomainName");
            if (logonDomainIdPointer == 0) {
                throw new Malformed("no LogonDomainId");
            }
            Sid domain = Sid.read(in);
            List<Sid> extra = new ArrayList<>();
            checkCount(sidCount, extraSidsPointer, "ExtraSids", in);
            if (extraSidsPointer != 0) {
                if (in.alignedU32() != sidCount) {
                    throw new Malformed("ExtraSids count mismatch");
                }
                long[] sidPointers = new long[(int) sidCount];
                for (int i = 0; i < sidCount; i++) {
                    sidPointers[i] = in.u32();
                    in.u32(); // attributes
                }
                for (long pointer : sidPointers) {
                    if (pointer != 0) {
                        extra.add(Sid.read(in));
                    }
                }
            }
            Sid resourceDomain = resourceDomainPointer != 0 ? Sid.read(in) : null;
            long[][] resourceGroups = ridArray(in, resourceGroupIdsPointer, resourceGroupCount, "ResourceGroupIds");
            if (resourceGroups.length > 0 && resourceDomain == null) {
                throw new Malformed("resource groups without ResourceGroupDomainSid");
            }

            LogonInfo info = new LogonInfo();
            info.accountName = account;
            info.domainSid = domain.toString();
            info.userSid = domain.withRid(userId);
            Set<String> sids = new LinkedHashSet<>();
            sids.add(domain.withRid(primaryGroupId));
            for (long[] group : groups) {
                sids.add(domain.withRid(group[0]));
            }
            for (Sid sid : extra) {
                sids.add(sid.toString());
            }
            for (long[] group : resourceGroups) {
                sids.add(resourceDomain.withRid(group[0]));
            }
            info.groupSids = List.copyOf(sids);
            return info;
        }

        /** GROUP_MEMBERSHIP[count]: conformant array of (RelativeId, Attributes). */
        private static long[][] ridArray(Le in, long pointer, long count, String what) throws Malformed {
            checkCount(count, pointer, what, in);
            if (pointer == 0) {
                return new long[0][];
            }
            if (in.alignedU32() != count) {
                throw new Malformed(what + " count mismatch");
            }
            long[][] out = new long[(int) count][];
            for (int i = 0; i < count; i++) {
                out[i] = new long[] {in.u32(), in.u32()};
            }
            return out;
        }

        private static void checkCount(long count, long pointer, String what, Le in) throws Malformed {
            if (count > MAX_SIDS || count * 8 > in.remaining()) {
                throw new Malformed(what + " count " + count + " too large");
            }
            if (pointer == 0 && count != 0) {
                throw new Malformed(what + " count without array");
            }
        }
    }

    /** RPC_UNICODE_STRING: Length, MaximumLength (bytes), pointer; the body follows later. */
    private record UnicodeString(int length, int maximumLength, long pointer) {
        static UnicodeString header(Le in) throws Malformed {
            return new UnicodeString(in.u16(), in.u16(), in.u32());
        }

        /** The deferred conformant varying array: MaxCount, Offset, ActualCount, UTF-16LE chars. */
        String body(Le in, String what) throws Malformed {
            if (pointer == 0) {
                if (length != 0) {
                    throw new Malformed(what + " has a length but no characters");
                }
                return "";
            }
            long max = in.alignedU32();
            long offset = in.u32();
            long actual = in.u32();
            if (offset != 0 || actual > max || actual * 2 != length || length % 2 != 0) {
                throw new Malformed(what + " has inconsistent lengths");
            }
            return new String(in.bytes((int) actual * 2), StandardCharsets.UTF_16LE);
        }
    }

    /** RPC_SID: conformant (SubAuthorityCount), Revision, SubAuthorityCount, IdentifierAuthority[6], SubAuthority[]. */
    private record Sid(int revision, long authority, long[] subAuthorities) {
        static Sid read(Le in) throws Malformed {
            long max = in.alignedU32();
            int revision = in.u8();
            int count = in.u8();
            if (revision != 1 || count != max || count > MAX_SUB_AUTHORITIES) {
                throw new Malformed("bad SID");
            }
            long authority = 0;
            for (byte b : in.bytes(6)) {
                authority = (authority << 8) | (b & 0xFF); // big-endian, unlike the rest
            }
            long[] subs = new long[count];
            for (int i = 0; i < count; i++) {
                subs[i] = in.u32();
            }
            return new Sid(revision, authority, subs);
        }

        String withRid(long rid) {
            long[] subs = Arrays.copyOf(subAuthorities, subAuthorities.length + 1);
            subs[subAuthorities.length] = rid;
            return formatSid(revision, authority, subs);
        }

        @Override
        public String toString() {
            return formatSid(revision, authority, subAuthorities);
        }
    }

    /** Little-endian reads inside [start, end) of a buffer; NDR alignment relative to start. */
    private static final class Le {
        private final byte[] buffer;
        private final int start;
        private final int end;
        private int pos;

        Le(byte[] buffer, int start, int end) {
            this.buffer = buffer;
            this.start = start;
            this.end = end;
            this.pos = start;
        }

        int remaining() {
            return end - pos;
        }

        private void need(int n) throws Malformed {
            if (n < 0 || n > end - pos) {
                throw new Malformed("truncated");
            }
        }

        void skip(int n) throws Malformed {
            need(n);
            pos += n;
        }

        int u8() throws Malformed {
            need(1);
            return buffer[pos++] & 0xFF;
        }

        int u16() throws Malformed {
            need(2);
            int value = (buffer[pos] & 0xFF) | (buffer[pos + 1] & 0xFF) << 8;
            pos += 2;
            return value;
        }

        long u32() throws Malformed {
            need(4);
            long value = (buffer[pos] & 0xFFL) | (buffer[pos + 1] & 0xFFL) << 8 | (buffer[pos + 2] & 0xFFL) << 16
                    | (buffer[pos + 3] & 0xFFL) << 24;
            pos += 4;
            return value;
        }

        /** Unsigned 64 bits; values beyond Long.MAX_VALUE come out negative and fail the bounds checks. */
        long u64() throws Malformed {
            long low = u32();
            long high = u32();
            return low | high << 32;
        }

        long alignedU32() throws Malformed {
            int misalign = (pos - start) % 4;
            if (misalign != 0) {
                skip(4 - misalign);
            }
            return u32();
        }

        byte[] bytes(int n) throws Malformed {
            need(n);
            byte[] out = Arrays.copyOfRange(buffer, pos, pos + n);
            pos += n;
            return out;
        }
    }
}
