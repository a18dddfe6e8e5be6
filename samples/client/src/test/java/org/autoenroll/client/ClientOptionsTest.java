package org.autoenroll.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {
    private static final List<String> BASE = List.of("--server", "https://certs.example.com:8443", "--customer", "demo");

    private static ClientOptions parse(String... more) {
        List<String> args = new ArrayList<>(BASE);
        args.addAll(List.of(more));
        return ClientOptions.parse(args.toArray(String[]::new));
    }

    private static String refused(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> ClientOptions.parse(args)).getMessage();
    }

    @Test
    void parse_defaults_ticketCachePemEcServicePrincipalFromUrl() {
        ClientOptions options = parse();
        assertEquals("HTTP/certs.example.com", options.servicePrincipal());
        assertEquals(ClientOptions.StoreFormat.PEM, options.format());
        assertEquals(ClientOptions.KeyKind.EC, options.key());
        assertEquals(null, options.user());
        assertEquals(0, options.renewDays());
    }

    @Test
    void parse_passwordFromEnvironment_namesTheMissingVariable() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> parse("--user", "alice@EXAMPLE.COM", "--password", "env:AUTOENROLL_TEST_SURELY_UNSET")).getMessage();
        assertTrue(message.contains("AUTOENROLL_TEST_SURELY_UNSET is not set"), message);
    }

    @Test
    void parse_badCombinations_refusedWithTheReason() {
        assertTrue(refused("--customer", "demo").contains("--server and --customer are required"));
        assertTrue(refused("--server", "http://certs.example.com", "--customer", "demo").contains("https://"));
        assertTrue(refused("--server", "https://h", "--customer", "a", "--customer", "b").contains("given twice"));
        assertTrue(refused("--server", "https://h", "--customer", "a", "--password", "x").contains("need --user"));
        assertTrue(refused("--server", "https://h", "--customer", "a", "--user", "alice").contains("--password or --keytab"));
        assertTrue(refused("--server", "https://h", "--customer", "a", "--format", "pkcs12", "--pkcs12-password", "secret")
                .contains("never the password itself"));
        assertTrue(refused("--server", "https://h", "--customer", "a", "--format", "pkcs12").contains("needs --pkcs12-password"));
        assertTrue(refused("--server", "https://h", "--customer", "a", "--renew-days", "-1").contains("0-3650"));
        assertTrue(refused("--server", "https://h", "--customer", "a", "--kdc", "kdc:88").contains("--kdc needs --realm"));
        assertTrue(refused("--server", "https://h", "--customer", "a", "--bogus", "1").contains("unknown option --bogus"));
    }

    @Test
    void secret_toString_neverShowsTheValue() {
        Secret secret = Secret.parse("--password", "alice-demo-pw");
        assertTrue(!secret.toString().contains("alice-demo-pw"), secret.toString());
        assertEquals("alice-demo-pw", new String(secret.value()));
    }
}
