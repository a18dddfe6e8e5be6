package org.autoenroll.kerberos.testkit;

import java.time.Duration;
import java.time.Instant;
import org.apache.kerby.kerberos.kerb.KrbCodec;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.crypto.EncryptionHandler;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationData;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationDataEntry;
import org.apache.kerby.kerberos.kerb.type.ad.AuthorizationType;
import org.apache.kerby.kerberos.kerb.type.base.EncryptedData;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionKey;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.KeyUsage;
import org.apache.kerby.kerberos.kerb.type.base.NameType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.base.TransitedEncoding;
import org.apache.kerby.kerberos.kerb.type.base.TransitedEncodingType;
import org.apache.kerby.kerberos.kerb.type.ticket.EncTicketPart;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.apache.kerby.kerberos.kerb.type.ticket.TicketFlags;

/**
 * Makes service tickets without a KDC, from the service's own key: what a KDC of any realm would
 * issue. For tests of realms with no running KDC (only one Kerby KDC fits in a JVM), of enctypes
 * the KDC will not issue (DES, 3DES, RC4), and of ticket times. Not thread-safe; one per ticket.
 */
public final class TicketForger {
    private final String serviceRealm;
    private final String servicePrincipal;
    private final EncryptionKey serviceKey;
    private final int kvno;
    private String clientName = "alice";
    private String clientRealm;
    private Instant start = Instant.now();
    private Instant end = start.plus(Duration.ofHours(10));
    private EncryptionType sessionKeyType;
    private AuthorizationData authorizationData;

    /**
     * @param servicePrincipal without realm, e.g. {@code HTTP/localhost}
     * @param serviceKey the service's long-term key (e.g. from {@link #keyFromPassword})
     */
    public TicketForger(String serviceRealm, String servicePrincipal, EncryptionKey serviceKey, int kvno) {
        this.serviceRealm = serviceRealm;
        this.servicePrincipal = servicePrincipal;
        this.serviceKey = serviceKey;
        this.kvno = kvno;
        this.clientRealm = serviceRealm;
        this.sessionKeyType = serviceKey.getKeyType();
    }

    /** The key MIT's ktutil/ktpass would derive: salt realm + name components. */
    public static EncryptionKey keyFromPassword(String principalWithRealm, String password, EncryptionType type) {
        try {
            return EncryptionHandler.string2Key(principalWithRealm, password, type);
        } catch (KrbException e) {
            throw new IllegalStateException("string2key failed for " + type, e);
        }
    }

    private boolean enterprise;

    /** An enterprise client (NT-ENTERPRISE, RFC 6806): one component {@code user@suffix}. */
    public TicketForger enterpriseClient(String upn, String realm) {
        client(upn, realm);
        this.enterprise = true;
        return this;
    }

    public TicketForger client(String name, String realm) {
        this.clientName = name;
        this.clientRealm = realm;
        return this;
    }

    public TicketForger times(Instant start, Instant end) {
        this.start = start;
        this.end = end;
        return this;
    }

    public TicketForger sessionKeyType(EncryptionType type) {
        this.sessionKeyType = type;
        return this;
    }

    /** The ticket's authorization-data as given (null for none, the default). */
    public TicketForger authorizationData(AuthorizationData data) {
        this.authorizationData = data;
        return this;
    }

    /** A PAC (e.g. from {@link PacBuilder}) as AD DCs place it: AD-IF-RELEVANT holding AD-WIN2K-PAC. */
    public TicketForger pac(byte[] pac) {
        this.authorizationData = ifRelevant(pac);
        return this;
    }

    /** AuthorizationData [AD-IF-RELEVANT [AD-WIN2K-PAC pac]]. */
    public static AuthorizationData ifRelevant(byte[] pac) {
        try {
            AuthorizationData inner = new AuthorizationData();
            inner.addElement(new AuthorizationDataEntry(AuthorizationType.AD_WIN2K_PAC, pac.clone()));
            AuthorizationData outer = new AuthorizationData();
            outer.addElement(new AuthorizationDataEntry(AuthorizationType.AD_IF_RELEVANT, KrbCodec.encode(inner)));
            return outer;
        } catch (KrbException e) {
            throw new IllegalStateException("cannot encode authorization data", e);
        }
    }

    /** The ticket's authtime (= its start time). */
    public Instant authTime() {
        return start;
    }

    public ServiceTicket forge() {
        try {
            EncryptionKey sessionKey = EncryptionHandler.random2Key(sessionKeyType);
            EncTicketPart part = new EncTicketPart();
            part.setFlags(new TicketFlags());
            part.setKey(sessionKey);
            part.setCrealm(clientRealm);
            part.setCname(enterprise ? new PrincipalName(java.util.List.of(clientName), NameType.NT_ENTERPRISE)
                    : new PrincipalName(java.util.Arrays.asList(clientName.split("/", -1)), NameType.NT_PRINCIPAL));
            TransitedEncoding transited = new TransitedEncoding();
            transited.setTrType(TransitedEncodingType.DOMAIN_X500_COMPRESS);
            transited.setContents(new byte[0]);
            part.setTransited(transited);
            part.setAuthTime(new KerberosTime(start.toEpochMilli()));
            part.setStartTime(new KerberosTime(start.toEpochMilli()));
            part.setEndTime(new KerberosTime(end.toEpochMilli()));
            if (authorizationData != null) {
                part.setAuthorizationData(authorizationData);
            }
            EncryptedData encrypted = EncryptionHandler.encrypt(KrbCodec.encode(part), serviceKey, KeyUsage.KDC_REP_TICKET);
            encrypted.setKvno(kvno);
            Ticket ticket = new Ticket();
            ticket.setTktKvno(5);
            PrincipalName sname = new PrincipalName(servicePrincipal, NameType.NT_SRV_INST);
            ticket.setSname(sname);
            ticket.setRealm(serviceRealm);
            ticket.setEncryptedEncPart(encrypted);
            return new ServiceTicket(ticket, sessionKey, clientName, clientRealm);
        } catch (KrbException e) {
            throw new IllegalStateException("cannot forge ticket", e);
        }
    }
}
