package org.autoenroll.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpServerExchange;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.core.EnrollmentRequest;
import org.autoenroll.core.EnrollmentService;

/**
 * {@code POST /api/v1/enroll}: reads the JSON request (bounded), hands it to the
 * {@link EnrollmentService} and answers 200 issued or 202 pending. {@code orgId} may be a JSON
 * string or number. Thread-safe.
 */
final class EnrollEndpoint implements Endpoint {
    /** The request body; every field optional here, the pipeline names what is missing. */
    record Body(String customerUri, JsonNode orgId, String email, String commonName, String csr, String renewSerial,
                String template) {
    }

    private final EnrollmentService service;
    private final BodyReader bodies;

    EnrollEndpoint(EnrollmentService service, BodyReader bodies) {
        this.service = service;
        this.bodies = bodies;
    }

    @Override
    public void handle(HttpServerExchange exchange, AuthenticatedPrincipal caller) throws Exception {
        Body body = Json.read(bodies.read(exchange), Body.class);
        EnrollmentRequest request = new EnrollmentRequest(body.customerUri(), orgId(body.orgId()), body.email(),
                body.commonName(), body.csr(), body.renewSerial(), body.template());
        Results.send(exchange, service.enroll(caller, request));
    }

    static String orgId(JsonNode node) throws EnrollmentException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual() || node.isNumber()) {
            return node.asText();
        }
        throw new EnrollmentException(ErrorCode.MALFORMED_REQUEST, "field \"orgId\" must be a string or a number");
    }
}
