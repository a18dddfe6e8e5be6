package org.autoenroll.wstep;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.wstep.soap.MalformedSoapException;
import org.autoenroll.wstep.soap.SoapEnvelope;
import org.autoenroll.wstep.soap.SoapReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Certificate Enrollment Policy service (MS-XCEP): answers GetPolicies for an authenticated
 * caller with one policy per template it may enroll in or autoenroll, the CAs with their CES
 * URIs, and the OIDs they reference. The HTTP layer authenticates (never anonymously) and hands
 * the bytes here; every answer, faults included, is a SOAP 1.2 envelope. Thread-safe.
 */
public final class CepService {
    private static final Logger LOG = LoggerFactory.getLogger(CepService.class);

    private final CepSettings settings;
    private final CallerTemplates templates;
    private final SoapReader reader;
    private final PolicyChanges changes;

    public CepService(CepSettings settings, CallerTemplates templates, SoapReader reader, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.templates = Objects.requireNonNull(templates, "templates");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.changes = new PolicyChanges(Objects.requireNonNull(clock, "clock"));
    }

    public CepSettings settings() {
        return settings;
    }

    /** Answers one GetPolicies message of {@code caller}. */
    public SoapAnswer getPolicies(AuthenticatedPrincipal caller, byte[] message) {
        SoapEnvelope envelope;
        GetPoliciesRequest request;
        try {
            envelope = reader.readEnvelope(message);
            request = GetPoliciesRequest.read(envelope);
        } catch (MalformedSoapException e) {
            LOG.info("GetPolicies of {} malformed: {}", caller, e.getMessage());
            return Envelopes.fault(e, null);
        }
        try {
            List<CallerTemplates.OfferedTemplate> offered = templates.offeredTo(caller, settings.customerUri()).stream()
                    .filter(o -> o.enroll() || o.autoenroll())
                    .filter(o -> request.policyOids().isEmpty() || request.policyOids().contains(o.template().id().oid()))
                    .toList();
            boolean notChanged = changes.unchangedSince(settings, offered, request.lastUpdate());
            LOG.info("GetPolicies of {}: {} template(s){}", caller, offered.size(), notChanged ? ", not changed" : "");
            return Envelopes.answer(GetPoliciesRequest.RESPONSE_ACTION, request.messageId(),
                    xml -> new PolicyWriter().write(xml, settings, offered, notChanged));
        } catch (EnrollmentException e) {
            LOG.info("GetPolicies of {} refused: {} ({}): {}", caller, e.code(), e.code().code(), e.detail());
            return Envelopes.fault(e, request.messageId(), false, null);
        }
    }
}
