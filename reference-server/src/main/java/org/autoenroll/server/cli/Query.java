package org.autoenroll.server.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A path with query parameters, each value URL-encoded, absent ones left out. Not thread-safe. */
final class Query {
    private final StringBuilder text;
    private char separator = '?';

    Query(String path) {
        this.text = new StringBuilder(path);
    }

    Query add(String name, Object value) {
        if (value != null) {
            text.append(separator).append(name).append('=').append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }

    /** After a full page: the option that fetches the next one. */
    static void printNext(AdminClient.Answer answer, PrintWriter out) {
        if (!answer.body().path("next").isNull() && !answer.body().path("next").isMissingNode()) {
            out.println("more: --after " + answer.body().path("next").asText());
        }
    }
}
