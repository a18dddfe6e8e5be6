package org.autoenroll.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * {@code GET /openapi.json}: the OpenAPI 3 description of every route (the JSON API, the admin
 * API, health, metrics, CRL, OCSP, the CA certificate; the SOAP endpoints listed, their bodies
 * not described), from the hand-written resource {@code openapi.json} beside this class, with
 * {@code info.version} set to the version this server was built as. Public and read-only;
 * OpenApiTest checks it against the router and the real answers. Immutable.
 */
final class OpenApi {
    static final String PATH = "/openapi.json";

    private final byte[] document;

    private OpenApi(byte[] document) {
        this.document = document;
    }

    /** Reads the description once. */
    static OpenApi load() {
        try (InputStream in = OpenApi.class.getResourceAsStream("openapi.json");
             InputStream version = OpenApi.class.getResourceAsStream("/autoenroll-version.properties")) {
            if (in == null || version == null) {
                throw new IllegalStateException("openapi.json or autoenroll-version.properties is missing from the jar");
            }
            ObjectNode description = (ObjectNode) Json.MAPPER.readTree(in);
            Properties build = new Properties();
            build.load(version);
            ((ObjectNode) description.get("info")).put("version", build.getProperty("version"));
            return new OpenApi(Json.MAPPER.writeValueAsBytes(description));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read openapi.json", e);
        }
    }

    Endpoint endpoint() {
        return (exchange, caller) -> Responses.send(exchange, 200, Responses.JSON, document);
    }
}
