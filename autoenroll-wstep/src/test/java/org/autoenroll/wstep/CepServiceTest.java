package org.autoenroll.wstep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.TemplateSource;
import org.autoenroll.wstep.soap.Namespaces;
import org.autoenroll.wstep.soap.SoapElement;
import org.autoenroll.wstep.soap.SoapEnvelope;
import org.autoenroll.wstep.soap.SoapReader;
import org.autoenroll.wstep.testkit.SoapRequests;
import org.autoenroll.wstep.testkit.SoapRequests.Style;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CepServiceTest {
    static final String CEP_URL = "https://ca.example.com/ADPolicyProvider_CEP_Kerberos/service.svc/CEP";
    static final String CES_URL = "https://ca.example.com/Test-CA_CES_Kerberos/service.svc/CES";
    static final AuthenticatedPrincipal ALICE = AuthenticatedPrincipal.of("alice", "EXAMPLE.COM", null)
            .withPac("S-1-5-21-1-2-3-1104", List.of(TestTemplates.USERS_SID));
    static final AuthenticatedPrincipal STRANGER = AuthenticatedPrincipal.of("bob", "EXAMPLE.COM", null);

    private final TestPki pki = new TestPki();
    private final Instant now = Instant.parse("2026-12-02T12:00:00Z");
    private final CepSettings settings;

    CepServiceTest() throws Exception {
        settings = new CepSettings("demo", "{6D1A1B9E-1B6C-4D3A-9A6E-0C4A1F0B2C3D}", "autoenroll test", 8,
                List.of(new CepSettings.Ca(pki.caCertificate.getEncoded(), List.of(
                        new CepSettings.CesUri(CepSettings.Authentication.KERBEROS, CES_URL, 1, false),
                        new CepSettings.CesUri(CepSettings.Authentication.CERTIFICATE,
                                "https://ca.example.com/Test-CA_CES_Certificate/service.svc/CES", 2, true)))));
    }

    private CepService service(TemplateSource source) {
        return new CepService(settings, new AclCallerTemplates(source), new SoapReader(), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static SoapEnvelope parse(SoapAnswer answer) throws Exception {
        return new SoapReader().readEnvelope(answer.body());
    }

    private static List<String> names(SoapElement element) {
        return element.children().stream().map(SoapElement::localName).toList();
    }

    private static SoapElement child(SoapElement e, String name) {
        return e.child(Namespaces.XCEP, name).orElseThrow(() -> new AssertionError("no " + name + " in " + e));
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void getPolicies_asWindowsAndCepcesSendIt_answersInSchemaOrder(Style style) throws Exception {
        SoapAnswer answer = service(() -> TestTemplates.ALL).getPolicies(ALICE,
                SoapRequests.getPolicies(style, "urn:uuid:11111111-2222-3333-4444-555555555555", CEP_URL, null));
        assertEquals(200, answer.status());
        SoapEnvelope envelope = parse(answer);
        assertEquals(GetPoliciesRequest.RESPONSE_ACTION, envelope.action().orElseThrow());
        assertEquals("urn:uuid:11111111-2222-3333-4444-555555555555",
                envelope.header(Namespaces.WSA, "RelatesTo").orElseThrow().trimmedText());
        SoapElement body = envelope.body();
        assertTrue(body.is(Namespaces.XCEP, "GetPoliciesResponse"));
        assertEquals(List.of("response", "cAs", "oIDs"), names(body));
        SoapElement response = child(body, "response");
        assertEquals(List.of("policyID", "policyFriendlyName", "nextUpdateHours", "policiesNotChanged", "policies"), names(response));
        assertEquals(settings.policyId(), child(response, "policyID").trimmedText());
        assertEquals("8", child(response, "nextUpdateHours").trimmedText());
        assertEquals("false", child(response, "policiesNotChanged").trimmedText());

        List<SoapElement> policies = child(response, "policies").children();
        Map<String, SoapElement> byName = policies.stream().collect(Collectors.toMap(
                p -> child(child(p, "attributes"), "commonName").trimmedText(), Function.identity()));
        // Forbidden: a deny of ENROLL for alice's group wins over the allow for everyone; CorpMachine is for computers
        assertEquals(java.util.Set.of("CorpUser", "NeedsApproval"), byName.keySet());
        for (SoapElement policy : policies) {
            assertEquals(List.of("policyOIDReference", "cAs", "attributes"), names(policy));
            SoapElement attributes = child(policy, "attributes");
            assertEquals(List.of("commonName", "policySchema", "certificateValidity", "permission", "privateKeyAttributes",
                    "revision", "supersededPolicies", "privateKeyFlags", "subjectNameFlags", "enrollmentFlags", "generalFlags",
                    "hashAlgorithmOIDReference", "rARequirements", "keyArchivalAttributes", "extensions"), names(attributes));
            SoapElement key = child(attributes, "privateKeyAttributes");
            assertEquals(List.of("minimalKeyLength", "keySpec", "keyUsageProperty", "permissions", "algorithmOIDReference",
                    "cryptoProviders"), names(key));
            assertFalse(child(key, "cryptoProviders").isNil());
            assertFalse(child(key, "cryptoProviders").children().isEmpty());
            assertTrue(child(attributes, "rARequirements").isNil());
            assertTrue(child(attributes, "keyArchivalAttributes").isNil());
            assertEquals(List.of("0"), child(policy, "cAs").children().stream().map(SoapElement::trimmedText).toList());
        }

        SoapElement user = child(byName.get("CorpUser"), "attributes");
        assertEquals("true", child(child(user, "permission"), "enroll").trimmedText());
        assertEquals("true", child(child(user, "permission"), "autoEnroll").trimmedText());
        assertEquals("100", child(child(user, "revision"), "majorRevision").trimmedText());
        assertEquals("4", child(child(user, "revision"), "minorRevision").trimmedText());
        assertEquals("OldUser", child(child(user, "supersededPolicies"), "commonName").trimmedText());
        assertEquals(Long.toString(365L * 86400), child(child(user, "certificateValidity"), "validityPeriodSeconds").trimmedText());
        assertEquals(0, Integer.parseUnsignedInt(child(user, "generalFlags").trimmedText()) & PolicyWriter.CT_FLAG_MACHINE_TYPE);
        SoapElement approval = child(byName.get("NeedsApproval"), "attributes");
        assertEquals(PolicyWriter.CT_FLAG_PEND_ALL_REQUESTS, Integer.parseUnsignedInt(child(approval, "enrollmentFlags").trimmedText())
                & PolicyWriter.CT_FLAG_PEND_ALL_REQUESTS);

        // every reference resolves: template OIDs in group 9, hash and extension OIDs in theirs
        Map<String, SoapElement> oids = child(body, "oIDs").children().stream().collect(Collectors.toMap(
                o -> child(o, "oIDReferenceID").trimmedText(), Function.identity()));
        for (SoapElement oid : oids.values()) {
            assertEquals(List.of("value", "group", "oIDReferenceID", "defaultName"), names(oid));
        }
        SoapElement templateOid = oids.get(child(byName.get("CorpUser"), "policyOIDReference").trimmedText());
        assertEquals(TestTemplates.USER.id().oid(), child(templateOid, "value").trimmedText());
        assertEquals("9", child(templateOid, "group").trimmedText());
        assertEquals("2.16.840.1.101.3.4.2.1", child(oids.get(child(user, "hashAlgorithmOIDReference").trimmedText()), "value").trimmedText());
        for (SoapElement extension : child(user, "extensions").children()) {
            assertEquals(List.of("oIDReference", "critical", "value"), names(extension));
            assertEquals("6", child(oids.get(child(extension, "oIDReference").trimmedText()), "group").trimmedText());
        }

        SoapElement ca = child(body, "cAs").children().get(0);
        assertEquals(List.of("uris", "certificate", "enrollPermission", "cAReferenceID"), names(ca));
        assertEquals("0", child(ca, "cAReferenceID").trimmedText());
        assertTrue(java.util.Arrays.equals(pki.caCertificate.getEncoded(), Base64.getDecoder().decode(child(ca, "certificate").trimmedText())));
        List<SoapElement> uris = child(ca, "uris").children();
        assertEquals(List.of("clientAuthentication", "uri", "priority", "renewalOnly"), names(uris.get(0)));
        assertEquals("2", child(uris.get(0), "clientAuthentication").trimmedText());
        assertEquals(CES_URL, child(uris.get(0), "uri").trimmedText());
        assertEquals("8", child(uris.get(1), "clientAuthentication").trimmedText());
        assertEquals("true", child(uris.get(1), "renewalOnly").trimmedText());
    }

    @Test
    void getPolicies_computerCaller_getsComputerTemplatesWithMachineFlags() throws Exception {
        AuthenticatedPrincipal ws01 = AuthenticatedPrincipal.of("WS01$", "EXAMPLE.COM", null);
        SoapElement response = child(parse(service(() -> TestTemplates.ALL).getPolicies(ws01,
                SoapRequests.getPolicies(Style.CEPCES, "urn:uuid:m", CEP_URL, null))).body(), "response");
        List<SoapElement> policies = child(response, "policies").children();
        assertEquals(1, policies.size());
        SoapElement machine = child(policies.get(0), "attributes");
        assertEquals("CorpMachine", child(machine, "commonName").trimmedText());
        int general = Integer.parseUnsignedInt(child(machine, "generalFlags").trimmedText());
        assertEquals(0x40, general & 0x40);
        int names = Integer.parseUnsignedInt(child(machine, "subjectNameFlags").trimmedText());
        assertEquals(0x18000000, names & 0x18000000);
        assertEquals("false", child(child(machine, "permission"), "autoEnroll").trimmedText());
        assertEquals("3072", child(child(machine, "privateKeyAttributes"), "minimalKeyLength").trimmedText());
        assertEquals(PolicyWriter.CT_FLAG_PUBLISH_TO_DS, Integer.parseUnsignedInt(child(machine, "enrollmentFlags").trimmedText())
                & PolicyWriter.CT_FLAG_PUBLISH_TO_DS);
    }

    @Test
    void getPolicies_callerWithoutPac_getsOnlyAuthenticatedUsersTemplates() throws Exception {
        SoapAnswer answer = service(() -> TestTemplates.ALL).getPolicies(STRANGER,
                SoapRequests.getPolicies(Style.CEPCES, "urn:uuid:1", CEP_URL, null));
        List<SoapElement> policies = child(child(parse(answer).body(), "response"), "policies").children();
        // no PAC: no group deny applies, and the autoenroll grant (by group) is missing
        assertEquals(3, policies.size());
        for (SoapElement policy : policies) {
            assertEquals("false", child(child(child(policy, "attributes"), "permission"), "autoEnroll").trimmedText());
        }
    }

    @Test
    void getPolicies_nothingOffered_policiesNil() throws Exception {
        SoapAnswer answer = service(List::of).getPolicies(ALICE, SoapRequests.getPolicies(Style.WINDOWS, "urn:uuid:1", CEP_URL, null));
        assertTrue(child(child(parse(answer).body(), "response"), "policies").isNil());
    }

    @Test
    void getPolicies_lastUpdateAfterFirstServed_notChanged_beforeIt_changed() throws Exception {
        CepService service = service(() -> TestTemplates.ALL);
        service.getPolicies(ALICE, SoapRequests.getPolicies(Style.WINDOWS, "urn:uuid:1", CEP_URL, null));
        SoapElement later = parse(service.getPolicies(ALICE, SoapRequests.getPolicies(Style.WINDOWS, "urn:uuid:2", CEP_URL,
                "2026-12-02T13:00:00Z"))).body();
        assertEquals("true", child(child(later, "response"), "policiesNotChanged").trimmedText());
        assertTrue(child(child(later, "response"), "policies").isNil());
        SoapElement earlier = parse(service.getPolicies(ALICE, SoapRequests.getPolicies(Style.WINDOWS, "urn:uuid:3", CEP_URL,
                "2026-12-01T13:00:00"))).body();
        assertEquals("false", child(child(earlier, "response"), "policiesNotChanged").trimmedText());
        assertFalse(child(child(earlier, "response"), "policies").isNil());
    }

    @Test
    void getPolicies_templateSourceDown_faultWithCode13() throws Exception {
        SoapAnswer answer = service(() -> {
            throw new EnrollmentException(ErrorCode.AD_UNAVAILABLE, "templates never read");
        }).getPolicies(ALICE, SoapRequests.getPolicies(Style.WINDOWS, "urn:uuid:9", CEP_URL, null));
        assertEquals(500, answer.status());
        SoapElement fault = parse(answer).body();
        assertTrue(fault.is(Namespaces.SOAP, "Fault"));
        String reason = fault.child(Namespaces.SOAP, "Reason").orElseThrow().children().get(0).trimmedText();
        assertTrue(reason.startsWith("AD_UNAVAILABLE (13)"), reason);
    }

    @Test
    void getPolicies_wrongAction_senderFault() throws Exception {
        byte[] message = new String(SoapRequests.getPolicies(Style.WINDOWS, "urn:uuid:1", CEP_URL, null),
                java.nio.charset.StandardCharsets.UTF_8).replace("IPolicy/GetPolicies", "IPolicy/Other")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SoapAnswer answer = service(() -> TestTemplates.ALL).getPolicies(ALICE, message);
        assertEquals(500, answer.status());
        SoapElement code = parse(answer).body().child(Namespaces.SOAP, "Code").orElseThrow();
        assertEquals("s:Sender", code.childText(Namespaces.SOAP, "Value").orElseThrow());
    }
}
