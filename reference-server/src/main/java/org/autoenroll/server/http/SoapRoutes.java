package org.autoenroll.server.http;

import java.util.Optional;
import org.autoenroll.server.WindowsEnrollment;
import org.autoenroll.wstep.CepSettings.Authentication;
import org.autoenroll.wstep.SoapAnswer;
import org.autoenroll.wstep.soap.SoapReader;

/**
 * The routes of Windows-native enrollment: CEP and CES at AD CS's paths, each with its
 * authentication. Kerberos endpoints sit behind Negotiate like the JSON API (no header: 401 with
 * {@code WWW-Authenticate: Negotiate}, which is what Windows and cepces wait for). The body is
 * read within the SOAP reader's bound and answered as {@code application/soap+xml}. A path may
 * also be asked for with a trailing slash. Stateless.
 */
final class SoapRoutes {
    private SoapRoutes() {
    }

    static Router.Builder add(Router.Builder builder, WindowsEnrollment windows) {
        BodyReader bodies = new BodyReader(SoapReader.Limits.DEFAULT.maxBytes());
        Endpoint cep = (exchange, caller) -> send(exchange, windows.cep().getPolicies(caller, bodies.read(exchange)));
        Endpoint ces = (exchange, caller) -> send(exchange, windows.ces(Authentication.KERBEROS)
                .requestSecurityToken(caller, bodies.read(exchange), Optional.empty()));
        for (String slash : new String[] {"", "/"}) {
            builder.authenticated("POST", windows.cepPathOf(Authentication.KERBEROS) + slash, cep);
            builder.authenticated("POST", windows.cesPathOf(Authentication.KERBEROS) + slash, ces);
        }
        return builder;
    }

    static void send(io.undertow.server.HttpServerExchange exchange, SoapAnswer answer) {
        Responses.send(exchange, answer.status(), SoapAnswer.CONTENT_TYPE, answer.body());
    }
}
