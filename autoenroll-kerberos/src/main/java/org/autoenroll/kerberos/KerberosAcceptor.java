package org.autoenroll.kerberos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.ap.ApOption;
import org.apache.kerby.kerberos.kerb.type.ap.ApOptions;
import org.apache.kerby.kerberos.kerb.type.ap.ApRep;
import org.apache.kerby.kerberos.kerb.type.ap.ApReq;
import org.apache.kerby.kerberos.kerb.type.ap.Authenticator;
import org.apache.kerby.kerberos.kerb.type.ap.EncAPRepPart;
import org.apache.kerby.kerberos.kerb.type.base.CheckSum;
import org.apache.kerby.kerberos.kerb.type.base.EncryptedData;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.base.KrbMessageType;
import org.apache.kerby.kerberos.kerb.type.base.NameType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.ticket.EncTicketPart;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlags;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.TicketValidator;

/**
 * Accepts SPNEGO/Negotiate Kerberos tokens with keys from one keytab per realm, several realms
 * at once, on Apache Kerby's ASN.1 and crypto only: no JAAS, no {@code krb5.conf}, no system
 * property, no global state.
 *
 * <p>It unwraps SPNEGO NegTokenInit (or a bare Kerberos GSS-API token, with either Kerberos OID)
 * down to the AP-REQ; picks the key by service principal name, enctype and kvno; decrypts ticket
 * and authenticator; checks that they name the same client, the clock skew (5 minutes by
 * default), the ticket's start and end times, the GSS checksum (type 0x8003), refuses
 * user-to-user, DES, 3DES, RC4 unless {@link Builder#allowRc4(String)}, and replays (see
 * {@link ReplayCache}; the default {@link InMemoryReplayCache} holds at most 1,600,000 live
 * entries and fails closed when full).
 *
 * <p>Mutual authentication: when the client set MUTUAL_REQUIRED (as Windows, MIT and the JDK do
 * for HTTP Negotiate), the returned principal carries a SPNEGO NegTokenResp accept-completed
 * holding the GSS-wrapped AP-REP, to be sent in {@code WWW-Authenticate: Negotiate}; otherwise
 * it carries none (a client that did not ask for an AP-REP may fail on an unexpected one).
 *
 * <p>Every refusal is an {@link EnrollmentException} with {@link ErrorCode#AUTHENTICATION_ERROR}
 * (or {@link ErrorCode#INVALID_REMOTE_USER} for an unusable client name) and a detail naming the
 * cause; no detail holds key or token bytes. Tokens over {@value #MAX_TOKEN_BYTES} bytes are
 * refused unread.
 *
 * <p>PAC: when the ticket carries one (AD-IF-RELEVANT -> AD-WIN2K-PAC, as Active Directory and
 * Samba issue), its server signature is verified with the service key, its client info must
 * match the ticket's client and authtime and its logon info's account name the ticket's client
 * (case-insensitively); the returned principal then carries the user SID and the group SIDs
 * ({@link AuthenticatedPrincipal#withPac}). A ticket without PAC (Kerby, MIT before 1.20) or
 * with a PAC without logon info (MIT 1.20+: client info and signatures only, still verified)
 * yields no SIDs.
 *
 * <p>Immutable and thread-safe (the replay cache is thread-safe).
 */
public final class KerberosAcceptor implements TicketValidator {
    /** Largest token read: a Windows token with a large PAC is around 12-20 KiB. */
    public static final int MAX_TOKEN_BYTES = 64 * 1024;
    /** The default and the largest allowed clock skew. */
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(5);
    public static final Duration LARGEST_MAX_SKEW = Duration.ofMinutes(15);

    private static final int GSS_CHECKSUM_TYPE = 0x8003;
    private static final int AD_IF_RELEVANT = 1;
    private static final int AD_WIN2K_PAC = 128;

    private final Map<String, KeytabSource> realms;
    private final Clock clock;
    private final Duration maxSkew;
    private final ReplayCache replayCache;
    private final SecureRandom random = new SecureRandom();

    private KerberosAcceptor(Map<String, KeytabSource> realms, Clock clock, Duration maxSkew, ReplayCache replayCache) {
        this.realms = realms;
        this.clock = clock;
        this.maxSkew = maxSkew;
        this.replayCache = replayCache;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The realms this acceptor holds keys for, sorted. */
    public Set<String> realms() {
        return new TreeSet<>(realms.keySet());
    }

    @Override
    public AuthenticatedPrincipal validate(byte[] negotiateToken) throws EnrollmentException {
        if (negotiateToken == null || negotiateToken.length == 0) {
            throw fail("empty Negotiate token");
        }
        if (negotiateToken.length > MAX_TOKEN_BYTES) {
            throw fail("Negotiate token of " + negotiateToken.length + " bytes exceeds the limit of " + MAX_TOKEN_BYTES);
        }
        try {
            NegotiateCodec.Unwrapped unwrapped = NegotiateCodec.unwrap(negotiateToken);
            return accept(unwrapped);
        } catch (EnrollmentException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // Kerby's decoders throw unchecked exceptions on some malformed input; none may escape.
            throw fail("malformed Kerberos token: it could not be decoded");
        }
    }

    private AuthenticatedPrincipal accept(NegotiateCodec.Unwrapped unwrapped) throws EnrollmentException {
        ApReq apReq = decode(unwrapped.apReq(), ApReq.class, "AP-REQ");
        if (apReq.getPvno() != 5 || apReq.getMsgType() != KrbMessageType.AP_REQ) {
            throw fail("malformed Kerberos token: not a Kerberos 5 AP-REQ");
        }
        ApOptions options = apReq.getApOptions();
        if (options != null && options.isFlagSet(ApOption.USE_SESSION_KEY)) {
            throw fail("user-to-user authentication (USE_SESSION_KEY) is not accepted");
        }
        boolean mutual = options != null && options.isFlagSet(ApOption.MUTUAL_REQUIRED);
        Ticket ticket = apReq.getTicket();
        if (ticket == null || ticket.getSname() == null || ticket.getRealm() == null
                || ticket.getEncryptedEncPart() == null || apReq.getEncryptedAuthenticator() == null) {
            throw fail("malformed Kerberos token: the AP-REQ lacks its ticket or authenticator");
        }
        String serviceRealm = ticket.getRealm();
        KeytabSource source = realms.get(serviceRealm);
        RealmKeys keys = source == null ? null : source.current();
        if (keys == null) {
            throw fail("no keytab for realm " + printable(serviceRealm) + " (configured realms: "
                    + String.join(", ", realms()) + ")");
        }
        String serviceName = RealmKeys.nameOf(ticket.getSname());
        long[] etypeKvno = etypeAndKvno(ticket.getEncryptedEncPart());
        String refusal = Enctypes.refusal(etypeKvno[0], keys.rc4Allowed());
        if (refusal != null) {
            throw fail("ticket enctype " + refusal);
        }
        List<RealmKeys.Entry> candidates = keys.keysFor(serviceName, etypeKvno[0], etypeKvno[1]);
        RealmKeys.Entry[] usedKey = new RealmKeys.Entry[1];
        EncTicketPart ticketPart = decryptTicket(ticket, candidates, serviceName, serviceRealm, usedKey);

        EncryptionKey sessionKey = ticketPart.getKey();
        if (sessionKey == null || sessionKey.getKeyType() == null) {
            throw fail("malformed Kerberos ticket: no session key");
        }
        String sessionRefusal = Enctypes.refusal(sessionKey.getKeyType().getValue(), keys.rc4Allowed());
        if (sessionRefusal != null) {
            throw fail("session key enctype " + sessionRefusal);
        }
        Authenticator authenticator = decryptAuthenticator(apReq.getEncryptedAuthenticator(), sessionKey);

        TicketFlags flags = ticketPart.getFlags();
        if (flags != null && flags.isInvalid()) {
            throw fail("the ticket is marked INVALID (a postdated ticket not yet validated by the KDC)");
        }
        String clientRealm = ticketPart.getCrealm();
        PrincipalName clientName = ticketPart.getCname();
        if (clientRealm == null || clientRealm.isEmpty() || clientName == null
                || clientName.getNameStrings() == null || clientName.getNameStrings().isEmpty()) {
            throw fail("the ticket names no client principal");
        }
        if (!clientRealm.equals(authenticator.getCrealm()) || authenticator.getCname() == null
                || !clientName.getNameStrings().equals(authenticator.getCname().getNameStrings())) {
            throw fail("the authenticator names another client than the ticket");
        }
        // RFC 6806: an enterprise name (kinit -E carol@corp.example) is one component holding a UPN
        boolean enterprise = clientName.getNameType() == NameType.NT_ENTERPRISE;
        String name = enterprise ? enterpriseName(clientName.getNameStrings()) : usableName(clientName.getNameStrings());
        if (!printable(clientRealm).equals(clientRealm)) {
            throw new EnrollmentException(ErrorCode.INVALID_REMOTE_USER, "the client realm holds unusable characters");
        }

        Instant now = clock.instant();
        // the client's clock first: a skewed server clock also makes fresh tickets look not yet valid
        Instant ctime = checkAuthenticatorTime(authenticator, now);
        checkTicketTimes(ticketPart, now);
        checkGssChecksum(authenticator);
        Pac.Logon pac = readPac(ticketPart, usedKey[0].key(), name, clientRealm);

        ReplayCache.Key replayKey = new ReplayCache.Key(name + "@" + clientRealm, serviceName + "@" + serviceRealm,
                ctime.getEpochSecond(), authenticator.getCusec());
        ReplayCache.Outcome outcome;
        try {
            outcome = replayCache.record(replayKey, ctime.plus(maxSkew));
        } catch (RuntimeException e) {
            // fail closed: without the cache a replay cannot be ruled out
            throw fail("the replay cache is unavailable (" + e.getClass().getSimpleName()
                    + "); refusing authentication until it is back");
        }
        switch (outcome) {
            case REPLAYED -> throw fail("replayed authenticator: this token was already accepted");
            case FULL -> throw fail("the replay cache is full; refusing new authentications until entries expire");
            case SHARE_EXHAUSTED -> throw fail("this client authenticated more often within the clock skew than its share"
                    + " of the replay cache allows; refusing it until its entries expire");
            case RECORDED -> {
                // fresh
            }
            default -> throw new IllegalStateException();
        }
        byte[] response = mutual ? apRepToken(authenticator, sessionKey, unwrapped.mechOid()) : null;
        AuthenticatedPrincipal principal = enterprise ? AuthenticatedPrincipal.enterprise(name, clientRealm, response)
                : AuthenticatedPrincipal.of(name, clientRealm, response);
        return pac == null || !pac.hasSids() ? principal : principal.withPac(pac.userSid(), pac.groupSids(), pac.accountName());
    }

    /**
     * The PAC (AD-IF-RELEVANT -> AD-WIN2K-PAC, MS-PAC 2.3), verified; null when the ticket has none
     * (MIT and Kerby KDCs without a PAC plugin).
     */
    private static Pac.Logon readPac(EncTicketPart ticketPart, EncryptionKey serviceKey, String clientName,
            String clientRealm) throws EnrollmentException {
        if (ticketPart.getAuthorizationData() == null) {
            return null;
        }
        byte[] pac = null;
        try {
            Der.Reader entries = Der.Reader.of(encode(ticketPart.getAuthorizationData()))
                    .read(Der.SEQUENCE, "AuthorizationData").reader();
            while (entries.hasMore()) {
                Der.Reader entry = entries.read(Der.SEQUENCE, "AuthorizationData entry").reader();
                long type = Der.unsignedInteger(entry.read(0xA0, "ad-type").reader().read());
                byte[] data = entry.read(0xA1, "ad-data").reader().read(Der.OCTET_STRING, "ad-data").content();
                if (type != AD_IF_RELEVANT) {
                    continue;
                }
                Der.Reader inner = Der.Reader.of(data).read(Der.SEQUENCE, "AD-IF-RELEVANT").reader();
                while (inner.hasMore()) {
                    Der.Reader innerEntry = inner.read(Der.SEQUENCE, "AD-IF-RELEVANT entry").reader();
                    long innerType = Der.unsignedInteger(innerEntry.read(0xA0, "ad-type").reader().read());
                    Der.Tlv innerData = innerEntry.read(0xA1, "ad-data").reader().read(Der.OCTET_STRING, "ad-data");
                    if (innerType == AD_WIN2K_PAC) {
                        if (pac != null) {
                            throw fail("the ticket carries two PACs");
                        }
                        pac = innerData.content();
                    }
                }
            }
        } catch (Der.MalformedException e) {
            throw fail("malformed ticket authorization data: " + e.getMessage());
        }
        if (pac == null) {
            return null;
        }
        KerberosTime authTime = ticketPart.getAuthTime();
        if (authTime == null) {
            throw fail("malformed Kerberos ticket: a PAC but no authtime");
        }
        return Pac.verify(pac, serviceKey, clientName, clientRealm, Math.floorDiv(authTime.getTime(), 1000L));
    }

    private EncTicketPart decryptTicket(Ticket ticket, List<RealmKeys.Entry> candidates, String serviceName,
            String realm, RealmKeys.Entry[] usedKey) throws EnrollmentException {
        for (RealmKeys.Entry entry : candidates) {
            byte[] plain;
            try {
                plain = EncryptionHandler.decrypt(ticket.getEncryptedEncPart(), entry.key(), KeyUsage.KDC_REP_TICKET);
            } catch (KrbException | RuntimeException e) {
                continue; // integrity check failed with this key: try the next one of the same kvno
            }
            usedKey[0] = entry;
            return decode(plain, EncTicketPart.class, "ticket");
        }
        RealmKeys.Entry first = candidates.get(0);
        throw fail("ticket decryption failed with the keytab key for " + printable(serviceName) + "@" + realm + " (kvno "
                + first.kvno() + ", " + Enctypes.name(first.etype()) + "): the keytab does not match the KDC's key "
                + "(wrong keytab, or the service password changed without a new kvno)");
    }

    private static Authenticator decryptAuthenticator(EncryptedData encrypted, EncryptionKey sessionKey)
            throws EnrollmentException {
        byte[] plain;
        try {
            plain = EncryptionHandler.decrypt(encrypted, sessionKey, KeyUsage.AP_REQ_AUTH);
        } catch (KrbException | RuntimeException e) {
            throw fail("authenticator decryption failed: it was not made with the ticket's session key");
        }
        return decode(plain, Authenticator.class, "authenticator");
    }

    private void checkTicketTimes(EncTicketPart ticketPart, Instant now) throws EnrollmentException {
        KerberosTime end = ticketPart.getEndTime();
        if (end == null) {
            throw fail("malformed Kerberos ticket: no end time");
        }
        if (now.isAfter(Instant.ofEpochMilli(end.getTime()).plus(maxSkew))) {
            throw fail("the ticket expired at " + Instant.ofEpochMilli(end.getTime())
                    + "; the client must get a new service ticket (klist purge)");
        }
        KerberosTime start = ticketPart.getStartTime() != null ? ticketPart.getStartTime() : ticketPart.getAuthTime();
        if (start != null && Instant.ofEpochMilli(start.getTime()).minus(maxSkew).isAfter(now)) {
            throw fail("the ticket is not yet valid (starts at " + Instant.ofEpochMilli(start.getTime())
                    + "); check the clocks of client, KDC and this server");
        }
    }

    private Instant checkAuthenticatorTime(Authenticator authenticator, Instant now) throws EnrollmentException {
        KerberosTime ctime = authenticator.getCtime();
        int cusec = authenticator.getCusec();
        if (ctime == null || cusec < 0 || cusec > 999_999) {
            throw fail("malformed authenticator: no valid ctime/cusec");
        }
        Instant clientTime = Instant.ofEpochMilli(ctime.getTime());
        Duration offset = Duration.between(now, clientTime);
        if (offset.abs().compareTo(maxSkew) > 0) {
            throw fail("clock skew too great: the client's clock is " + offset.abs().getSeconds() + " s "
                    + (offset.isNegative() ? "behind" : "ahead of") + " this server's (limit " + maxSkew.getSeconds()
                    + " s); synchronise the clocks");
        }
        return clientTime;
    }

    /** RFC 4121 section 4.1.1: type 0x8003, Lgth 16 (little-endian), 16-byte Bnd, 4-byte Flags. */
    private static void checkGssChecksum(Authenticator authenticator) throws EnrollmentException {
        CheckSum cksum = authenticator.getCksum();
        if (cksum == null) {
            throw fail("the authenticator carries no GSS-API checksum (type 0x8003): not from a GSS-API initiator");
        }
        try {
            Der.Reader seq = Der.Reader.of(encode(cksum)).read(Der.SEQUENCE, "Checksum").reader();
            long type = Der.unsignedInteger(seq.read(0xA0, "cksumtype").reader().read());
            byte[] value = seq.read(0xA1, "checksum").reader().read(Der.OCTET_STRING, "checksum").content();
            if (type != GSS_CHECKSUM_TYPE) {
                throw fail("the authenticator checksum is of type " + type
                        + ", not the GSS-API checksum 0x8003: not from a GSS-API initiator");
            }
            if (value.length < 24 || value[0] != 16 || value[1] != 0 || value[2] != 0 || value[3] != 0) {
                throw fail("malformed GSS-API checksum (0x8003): shorter than 24 bytes or bad binding length");
            }
        } catch (Der.MalformedException e) {
            throw fail("malformed authenticator checksum");
        }
    }

    /** The raw etype and kvno (-1 when absent), which Kerby's enums cannot represent when unknown. */
    private static long[] etypeAndKvno(EncryptedData data) throws EnrollmentException {
        try {
            Der.Reader seq = Der.Reader.of(encode(data)).read(Der.SEQUENCE, "EncryptedData").reader();
            long etype = Der.unsignedInteger(seq.read(0xA0, "etype").reader().read());
            long kvno = -1;
            if (seq.hasMore() && seq.peekTag() == 0xA1) {
                kvno = Der.unsignedInteger(seq.read().reader().read()) & 0xFFFFFFFFL;
            }
            return new long[] {etype, kvno};
        } catch (Der.MalformedException e) {
            throw fail("malformed Kerberos ticket: bad EncryptedData");
        }
    }

    private byte[] apRepToken(Authenticator authenticator, EncryptionKey sessionKey, byte[] mechOid)
            throws EnrollmentException {
        EncAPRepPart part = new EncAPRepPart();
        part.setCtime(authenticator.getCtime());
        part.setCusec(authenticator.getCusec());
        part.setSeqNumber(random.nextInt() & 0x3FFFFFFF);
        try {
            ApRep apRep = new ApRep();
            apRep.setEncryptedEncPart(EncryptionHandler.encrypt(KrbCodec.encode(part), sessionKey,
                    KeyUsage.AP_REP_ENCPART));
            return NegotiateCodec.wrapApRep(KrbCodec.encode(apRep), mechOid);
        } catch (KrbException e) {
            throw fail("could not build the mutual-authentication reply (AP-REP)");
        }
    }

    /** One component {@code user@suffix}, printable, no '/': else 27. */
    private static String enterpriseName(List<String> components) throws EnrollmentException {
        String upn = components.size() == 1 ? components.get(0) : null;
        int at = upn == null ? -1 : upn.indexOf('@');
        if (at <= 0 || at == upn.length() - 1 || upn.indexOf('@', at + 1) >= 0 || upn.indexOf('/') >= 0
                || !printable(upn).equals(upn)) {
            throw new EnrollmentException(ErrorCode.INVALID_REMOTE_USER,
                    "the ticket's enterprise client name is not one user@suffix name");
        }
        return upn;
    }

    private static String usableName(List<String> components) throws EnrollmentException {
        for (String component : components) {
            if (component == null || component.isEmpty() || component.indexOf('@') >= 0
                    || !printable(component).equals(component)) {
                throw new EnrollmentException(ErrorCode.INVALID_REMOTE_USER,
                        "the ticket's client name has an empty or unusable component");
            }
        }
        return String.join("/", components);
    }

    private static <T extends org.apache.kerby.asn1.type.Asn1Type> T decode(byte[] bytes, Class<T> type, String what)
            throws EnrollmentException {
        try {
            return KrbCodec.decode(bytes, type);
        } catch (KrbException | RuntimeException | StackOverflowError e) {
            throw fail("malformed Kerberos token: the " + what + " could not be decoded");
        }
    }

    private static byte[] encode(org.apache.kerby.asn1.type.Asn1Type value) throws EnrollmentException {
        try {
            return KrbCodec.encode(value);
        } catch (KrbException | RuntimeException e) {
            throw fail("malformed Kerberos token: a field could not be re-encoded");
        }
    }

    /** Names come from the token: keep details printable and short. */
    static String printable(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), 128));
        for (int i = 0; i < value.length() && i < 128; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c != 0x7F ? c : '?');
        }
        return value.length() > 128 ? out.append("...").toString() : out.toString();
    }

    private static EnrollmentException fail(String detail) {
        return NegotiateCodec.fail(detail);
    }

    /**
     * Builds a {@link KerberosAcceptor}; checks everything in {@link #build()}. Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, Object> keytabs = new LinkedHashMap<>();
        private final Set<String> rc4Realms = new LinkedHashSet<>();
        private Clock clock = Clock.systemUTC();
        private Duration maxSkew = DEFAULT_MAX_SKEW;
        private ReplayCache replayCache;

        private Builder() {
        }

        /**
         * Keys for {@code realm} (e.g. {@code EXAMPLE.COM}, case-sensitive) from a keytab file, read in
         * {@link #build()} and read again whenever the file changes (checked at most once a second).
         */
        public Builder addRealm(String realm, Path keytabFile) {
            put(realm, Objects.requireNonNull(keytabFile, "keytabFile"));
            return this;
        }

        /** Keys for {@code realm} from the bytes of a keytab file. */
        public Builder addRealm(String realm, byte[] keytabBytes) {
            put(realm, Objects.requireNonNull(keytabBytes, "keytabBytes").clone());
            return this;
        }

        private void put(String realm, Object source) {
            if (realm == null || realm.isBlank()) {
                throw new IllegalArgumentException("realm must be non-empty");
            }
            if (keytabs.putIfAbsent(realm, source) != null) {
                throw new IllegalArgumentException("realm " + realm + " added twice");
            }
        }

        /** A named relaxation: accept RC4-HMAC tickets and session keys for this realm (older AD accounts). */
        public Builder allowRc4(String realm) {
            rc4Realms.add(Objects.requireNonNull(realm, "realm"));
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The clock skew tolerated: 5 minutes by default, at most 15 minutes. */
        public Builder maxSkew(Duration maxSkew) {
            this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
            return this;
        }

        /** A shared replay cache; by default an {@link InMemoryReplayCache} on the acceptor's clock. */
        public Builder replayCache(ReplayCache replayCache) {
            this.replayCache = Objects.requireNonNull(replayCache, "replayCache");
            return this;
        }

        /**
         * @throws IllegalStateException when no realm was added, or allowRc4 names an unknown realm, or the skew is
         *     out of range
         * @throws IllegalArgumentException when a keytab cannot be parsed or holds no key of its realm
         * @throws UncheckedIOException when a keytab file cannot be read
         */
        public KerberosAcceptor build() {
            if (keytabs.isEmpty()) {
                throw new IllegalStateException("no realm: call addRealm(realm, keytab) at least once");
            }
            for (String realm : rc4Realms) {
                if (!keytabs.containsKey(realm)) {
                    throw new IllegalStateException("allowRc4 names realm " + realm + " which has no keytab");
                }
            }
            if (maxSkew.isNegative() || maxSkew.isZero() || maxSkew.compareTo(LARGEST_MAX_SKEW) > 0) {
                throw new IllegalStateException("maxSkew must be positive and at most " + LARGEST_MAX_SKEW);
            }
            Map<String, KeytabSource> realms = new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : keytabs.entrySet()) {
                boolean rc4 = rc4Realms.contains(entry.getKey());
                if (entry.getValue() instanceof Path path) {
                    // a keytab file is read again when it changes: a rotated keytab needs no restart
                    try {
                        realms.put(entry.getKey(), KeytabSource.watched(entry.getKey(), path, rc4, clock));
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read keytab " + path, e);
                    }
                } else {
                    realms.put(entry.getKey(), KeytabSource.fixed(entry.getKey(), (byte[]) entry.getValue(), rc4));
                }
            }
            ReplayCache cache = replayCache != null ? replayCache : new InMemoryReplayCache(clock);
            return new KerberosAcceptor(Map.copyOf(realms), clock, maxSkew, cache);
        }
    }
}
