package org.autoenroll.wstep;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.wstep.soap.MalformedSoapException;
import org.autoenroll.wstep.soap.SoapReader;

/**
 * Every SOAP reader is fed outside input: whatever bytes arrive, the envelope reader, the
 * GetPolicies reader, the RequestSecurityToken reader and the UsernameToken reader answer with their value or a
 * {@link MalformedSoapException}; the token decoder with a request or {@link ErrorCode#INVALID_CSR};
 * and the services themselves with a SOAP envelope (200 or a 500 fault) that reads back. The seeds
 * (Windows- and cepces-shaped messages, a CMC and a renewal token) run in every build;
 * {@code JAZZER_FUZZ=1 mvn test -pl autoenroll-wstep -Dtest=SoapReadersFuzzTest} fuzzes.
 */
class SoapReadersFuzzTest {
    private static final SoapReader READER = new SoapReader();
    private static final AuthenticatedPrincipal ALICE = AuthenticatedPrincipal.of("alice", "EXAMPLE.COM", null);
    private static final TestPki PKI = new TestPki();
    private static final CesService CES = new CesService(new CesSettings("demo", "https://h/CES",
            CepSettings.Authentication.KERBEROS, false), new PkiBackend(PKI), new InMemoryRequestIds(), READER);
    private static final CepService CEP;

    static {
        try {
            CEP = new CepService(new CepSettings("demo", "policy", "fuzz", 8, java.util.List.of(new CepSettings.Ca(
                    PKI.caCertificate.getEncoded(), java.util.List.of(new CepSettings.CesUri(CepSettings.Authentication.KERBEROS,
                    "https://h/CES", 1, false))))), new AclCallerTemplates(() -> TestTemplates.ALL), READER,
                    java.time.Clock.systemUTC());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void readEnvelope_anyBytes_onlyMalformedSoap(byte[] message) {
        try {
            READER.readEnvelope(message);
        } catch (MalformedSoapException expected) {
            // refused: fine
        }
    }

    @FuzzTest(maxDuration = "30s")
    void getPoliciesRead_anyBytes_onlyMalformedSoap(byte[] message) {
        try {
            GetPoliciesRequest.read(READER.readEnvelope(message));
        } catch (MalformedSoapException expected) {
            // refused: fine
        }
    }

    @FuzzTest(maxDuration = "30s")
    void rstRead_anyBytes_onlyMalformedSoap(byte[] message) {
        try {
            RstRequest.read(READER.readEnvelope(message));
        } catch (MalformedSoapException expected) {
            // refused: fine
        }
    }

    @FuzzTest(maxDuration = "30s")
    void usernameTokenRead_anyBytes_onlyMalformedSoap(byte[] message) {
        try {
            UsernameToken.read(READER.readEnvelope(message)).ifPresent(UsernameToken::close);
        } catch (MalformedSoapException expected) {
            // refused: fine
        }
    }

    @FuzzTest(maxDuration = "30s")
    void decodeToken_anyBytes_onlyInvalidCsr(FuzzedDataProvider data) {
        String valueType = data.consumeBoolean() ? RstRequest.PKCS7 : RstRequest.PKCS10;
        try {
            RequestTokens.decode(valueType, data.consumeRemainingAsBytes());
        } catch (EnrollmentException e) {
            if (e.code() != ErrorCode.INVALID_CSR) {
                throw new AssertionError("unexpected code " + e.code(), e);
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void services_anyBytes_answerAReadableEnvelope(byte[] message) throws MalformedSoapException {
        SoapAnswer ces = CES.requestSecurityToken(ALICE, message, Optional.empty());
        SoapAnswer cep = CEP.getPolicies(ALICE, message);
        for (SoapAnswer answer : new SoapAnswer[] {ces, cep}) {
            if (answer.status() != 200 && answer.status() != 500) {
                throw new AssertionError("status " + answer.status());
            }
            READER.readEnvelope(answer.body());
        }
    }
}
