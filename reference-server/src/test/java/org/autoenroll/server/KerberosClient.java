package org.autoenroll.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * MIT Kerberos client programs ({@code kinit}, {@code klist}, {@code curl --negotiate}) run with a
 * krb5.conf and credential caches of their own, never the machine's. Not thread-safe.
 */
final class KerberosClient {
    private final Path krb5Conf;
    private final Path dir;

    KerberosClient(Path krb5Conf, Path dir) {
        this.krb5Conf = krb5Conf;
        this.dir = dir;
    }

    /** {@code kinit} as {@code principal} (with realm) into a credential cache of its own; returns the cache. */
    Path kinit(String principal, String password) throws Exception {
        Path cache = dir.resolve(principal.replace('/', '_').replace('@', '_') + ".ccache");
        run(password + "\n", environment(cache), "/usr/bin/kinit", principal);
        return cache;
    }

    /** {@code kinit -k -t keytab} as {@code principal}, as a domain-joined machine does from its own keytab; returns the cache. */
    Path kinitKeytab(String principal, Path keytab) throws Exception {
        Path cache = dir.resolve("keytab_" + principal.replace('/', '_').replace('@', '_').replace('$', '_') + ".ccache");
        run(null, environment(cache), "/usr/bin/kinit", "-k", "-t", keytab.toString(), principal);
        return cache;
    }

    /** {@code kinit -E} (RFC 6806 enterprise name, e.g. {@code carol@corp.example}) into a cache of its own; returns the cache. */
    Path kinitEnterprise(String enterpriseName, String password) throws Exception {
        Path cache = dir.resolve("enterprise_" + enterpriseName.replace('/', '_').replace('@', '_') + ".ccache");
        run(password + "\n", environment(cache), "/usr/bin/kinit", "-E", enterpriseName);
        return cache;
    }

    /** Runs a client command with this configuration and {@code cache}; its output, or an exception naming the exit code. */
    String run(String stdin, Path cache, String... command) throws Exception {
        return run(stdin, environment(cache), command);
    }

    Map<String, String> environment(Path cache) {
        Map<String, String> environment = new HashMap<>();
        environment.put("KRB5_CONFIG", krb5Conf.toString());
        environment.put("KRB5CCNAME", "FILE:" + (cache != null ? cache : dir.resolve("none.ccache")));
        environment.put("KRB5_TRACE", dir.resolve("krb5-trace.log").toString());
        return environment;
    }

    static String run(String stdin, Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " timed out");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output);
        }
        return output;
    }

    /** {@code curl --negotiate} as the cache's owner; the output ends with a line {@code HTTP <status>}. */
    static List<String> curlNegotiate(Path caPem, String url, String jsonBody, boolean anyAuth) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--negotiate", "-u", ":",
                "-w", "\nHTTP %{http_code}\n"));
        if (caPem != null) {
            command.addAll(List.of("--cacert", caPem.toString()));
        }
        if (anyAuth) {
            command.add("--anyauth");
        }
        if (jsonBody != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", jsonBody));
        }
        command.add(url);
        return command;
    }
}
