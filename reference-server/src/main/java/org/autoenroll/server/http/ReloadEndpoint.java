package org.autoenroll.server.http;

import io.undertow.server.HttpServerExchange;
import java.util.LinkedHashMap;
import java.util.Map;
import org.autoenroll.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/v1/reload}: an officer reloads the configuration file the server was started
 * with. 200 {@code {status:"RELOADED", ...summary, warnings}}; a bad file is refused whole with
 * {@link ErrorCode#CONFIGURATION_REFUSED} (64, HTTP 422) and its problems in plain words, the old
 * configuration still serving. The reload itself logs and audits. Thread-safe.
 */
final class ReloadEndpoint implements OperatorEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadEndpoint.class);

    private final ConfigReloading reloading;

    ReloadEndpoint(ConfigReloading reloading) {
        this.reloading = reloading;
    }

    @Override
    public void handle(HttpServerExchange exchange, AdminAuthentication.Operator operator) {
        LOG.info("operator {} asks for a configuration reload", operator.name());
        ConfigReloading.Outcome outcome = reloading.reload();
        if (!outcome.reloaded()) {
            Responses.error(exchange, ErrorCode.CONFIGURATION_REFUSED.httpStatus(), ErrorCode.CONFIGURATION_REFUSED,
                    String.join("; ", outcome.problems()));
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "RELOADED");
        answer.putAll(outcome.summary());
        answer.put("warnings", outcome.warnings());
        Responses.json(exchange, 200, answer);
    }
}
