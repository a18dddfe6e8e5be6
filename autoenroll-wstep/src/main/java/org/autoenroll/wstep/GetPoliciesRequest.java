package org.autoenroll.wstep;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.autoenroll.wstep.soap.MalformedSoapException;
import org.autoenroll.wstep.soap.Namespaces;
import org.autoenroll.wstep.soap.SoapElement;
import org.autoenroll.wstep.soap.SoapEnvelope;

/**
 * An MS-XCEP GetPolicies request as read: the MessageID, the client's {@code lastUpdate} and the
 * {@code requestFilter}'s policy OIDs. Windows and cepces send {@code clientVersion} and
 * {@code serverVersion} 0 or nil, both meaning no filtering, so only the OIDs filter.
 *
 * @param messageId the WS-Addressing MessageID, echoed in RelatesTo
 * @param lastUpdate when the client last received policies, if it says
 * @param policyOids only templates with these OIDs, when non-empty
 */
public record GetPoliciesRequest(String messageId, Optional<Instant> lastUpdate, List<String> policyOids) {
    public static final String ACTION = Namespaces.XCEP + "/IPolicy/GetPolicies";
    public static final String RESPONSE_ACTION = Namespaces.XCEP + "/IPolicy/GetPoliciesResponse";
    private static final int MAX_OIDS = 256;

    public GetPoliciesRequest {
        policyOids = List.copyOf(policyOids);
    }

    /** Reads the request from an envelope; any deviation from MS-XCEP 3.1.4.1.1.1 is malformed. */
    public static GetPoliciesRequest read(SoapEnvelope envelope) throws MalformedSoapException {
        String action = envelope.action().orElseThrow(() -> new MalformedSoapException("the message has no wsa:Action"));
        if (!action.equals(ACTION)) {
            throw new MalformedSoapException("this endpoint answers GetPolicies only, not the action sent");
        }
        SoapElement body = envelope.body();
        if (!body.is(Namespaces.XCEP, "GetPolicies")) {
            throw new MalformedSoapException("the Body holds no xcep:GetPolicies");
        }
        SoapElement client = body.child(Namespaces.XCEP, "client")
                .orElseThrow(() -> new MalformedSoapException("GetPolicies has no client element"));
        Optional<Instant> lastUpdate = Optional.empty();
        Optional<String> last = client.childText(Namespaces.XCEP, "lastUpdate");
        if (last.isPresent()) {
            try {
                lastUpdate = Optional.of(parseDateTime(last.get()));
            } catch (DateTimeParseException e) {
                throw new MalformedSoapException("client/lastUpdate is not an xs:dateTime");
            }
        }
        List<String> oids = new ArrayList<>();
        Optional<SoapElement> filter = body.child(Namespaces.XCEP, "requestFilter").filter(f -> !f.isNil());
        if (filter.isPresent()) {
            Optional<SoapElement> list = filter.get().child(Namespaces.XCEP, "policyOIDs").filter(f -> !f.isNil());
            if (list.isPresent()) {
                for (SoapElement oid : list.get().children(Namespaces.XCEP, "oid")) {
                    String value = oid.trimmedText();
                    if (!value.matches("[0-2](\\.[0-9]{1,10}){1,30}")) {
                        throw new MalformedSoapException("requestFilter/policyOIDs holds a value that is not an OID");
                    }
                    if (oids.size() == MAX_OIDS) {
                        throw new MalformedSoapException("requestFilter/policyOIDs holds more than " + MAX_OIDS + " OIDs");
                    }
                    oids.add(value);
                }
            }
        }
        return new GetPoliciesRequest(envelope.messageId().orElse(null), lastUpdate, oids);
    }

    /** xs:dateTime; Windows sends it with a zone, a value without one is taken as UTC. */
    static Instant parseDateTime(String text) {
        String value = text.strip();
        if (value.length() > 64) {
            throw new DateTimeParseException("too long", value, 0);
        }
        boolean zoned = value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$");
        return OffsetDateTime.parse(zoned ? value : value + "Z").toInstant();
    }
}
