package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import java.util.Optional;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.server.WindowsEnrollment;
import org.autoenroll.wstep.CepSettings.Authentication;
import org.autoenroll.wstep.SoapAnswer;
import org.autoenroll.wstep.SoapFaults;
import org.autoenroll.wstep.UsernameToken;
import org.autoenroll.wstep.soap.MalformedSoapException;
import org.autoenroll.wstep.soap.SoapEnvelope;
import org.autoenroll.wstep.soap.SoapReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of Windows-native enrollment: CEP and CES at AD CS's paths, one pair per
 * authentication. Kerberos sits behind Negotiate like the JSON API (no header: 401 with
 * {@code WWW-Authenticate: Negotiate}, which Windows and cepces wait for). UsernamePassword reads
 * the message's WS-Security UsernameToken and has the password checked by a bind as the user,
 * throttled per account. Certificate takes the TLS client certificate, which may only renew
 * itself. A refused message-level authentication is a SOAP fault (37 or 42). The body is read
 * within the SOAP reader's bound and answered as {@code application/soap+xml}; a path may also
 * be asked for with a trailing slash. Thread-safe.
 */
final class SoapRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(SoapRoutes.class);

    private SoapRoutes() {
    }

    /** What an endpoint does once the caller is known. */
    @FunctionalInterface
    private interface Service {
        SoapAnswer answer(AuthenticatedPrincipal caller, byte[] body, Optional<java.math.BigInteger> clientCertificate);
    }

    static Router.Builder add(Router.Builder builder, WindowsEnrollment windows) {
        // SOAP 1.2's media type only: a browser cannot send it cross-site without a preflight, which is never granted
        BodyReader bodies = new BodyReader(SoapReader.Limits.DEFAULT.maxBytes(), "application/soap+xml");
        SoapReader reader = new SoapReader();
        LoginThrottle throttle = new LoginThrottle(windows.clock());
        ClientCertificateAuthentication certificates = new ClientCertificateAuthentication(windows.certificates(), windows.clock());
        for (Authentication authentication : Authentication.values()) {
            Service cep = (caller, body, certificate) -> windows.cep().getPolicies(caller, body);
            Service ces = (caller, body, certificate) -> windows.ces(authentication).requestSecurityToken(caller, body, certificate);
            for (String slash : new String[] {"", "/"}) {
                String cepPath = windows.cepPathOf(authentication) + slash;
                String cesPath = windows.cesPathOf(authentication) + slash;
                switch (authentication) {
                    case KERBEROS -> {
                        builder.authenticated("POST", cepPath, bodies, (exchange, caller) ->
                                send(exchange, cep.answer(caller, bodies.read(exchange), Optional.empty())));
                        builder.authenticated("POST", cesPath, bodies, (exchange, caller) ->
                                send(exchange, ces.answer(caller, bodies.read(exchange), Optional.empty())));
                    }
                    case USERNAME_PASSWORD -> {
                        builder.publicRoute("POST", cepPath, bodies, (exchange, none) -> withPassword(exchange, bodies, reader, windows, throttle, cep));
                        builder.publicRoute("POST", cesPath, bodies, (exchange, none) -> withPassword(exchange, bodies, reader, windows, throttle, ces));
                    }
                    case CERTIFICATE -> {
                        builder.publicRoute("POST", cepPath, bodies, (exchange, none) -> withCertificate(exchange, bodies, certificates, cep));
                        builder.publicRoute("POST", cesPath, bodies, (exchange, none) -> withCertificate(exchange, bodies, certificates, ces));
                    }
                    default -> throw new IllegalStateException("no route for " + authentication);
                }
            }
        }
        return builder;
    }

    private static void withPassword(HttpServerExchange exchange, BodyReader bodies, SoapReader reader, WindowsEnrollment windows,
                                     LoginThrottle throttle, Service service) throws Exception {
        byte[] body = bodies.read(exchange);
        SoapEnvelope envelope;
        try {
            envelope = reader.readEnvelope(body);
        } catch (MalformedSoapException e) {
            send(exchange, SoapFaults.malformed(e));
            return;
        }
        AuthenticatedPrincipal caller;
        String account = null;
        try (UsernameToken token = UsernameToken.read(envelope).orElseThrow(() -> new EnrollmentException(
                ErrorCode.AUTHENTICATION_REQUIRED, "this endpoint needs a WS-Security UsernameToken"))) {
            account = token.user();
            throttle.check(account);
            try {
                caller = windows.passwords().verify(token.user(), token.password());
            } catch (EnrollmentException e) {
                if (e.code() == ErrorCode.AUTHENTICATION_ERROR || e.code() == ErrorCode.NO_VALID_USER_IN_AD) {
                    throttle.failed(account);
                }
                throw e;
            }
            throttle.succeeded(account);
        } catch (MalformedSoapException e) {
            send(exchange, SoapFaults.malformed(e));
            return;
        } catch (EnrollmentException e) {
            LOG.info("UsernameToken of {} refused: {} ({}): {}", account == null ? "-" : Router.loggable(account), e.code(),
                    e.code().code(), e.detail());
            send(exchange, SoapFaults.refusal(e, envelope.messageId().orElse(null)));
            return;
        }
        send(exchange, service.answer(caller, body, Optional.empty()));
    }

    private static void withCertificate(HttpServerExchange exchange, BodyReader bodies,
                                        ClientCertificateAuthentication certificates, Service service) throws Exception {
        byte[] body = bodies.read(exchange);
        ClientCertificateAuthentication.Caller caller;
        try {
            caller = certificates.authenticate(exchange);
        } catch (EnrollmentException e) {
            LOG.info("client certificate refused: {} ({}): {}", e.code(), e.code().code(), e.detail());
            send(exchange, SoapFaults.refusal(e, null));
            return;
        }
        send(exchange, service.answer(caller.principal(), body, Optional.of(caller.serial())));
    }

    static void send(HttpServerExchange exchange, SoapAnswer answer) {
        Responses.send(exchange, answer.status(), SoapAnswer.CONTENT_TYPE, answer.body());
    }
}
