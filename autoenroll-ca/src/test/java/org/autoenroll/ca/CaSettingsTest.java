package org.autoenroll.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import org.autoenroll.api.SecretRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CaSettingsTest {
    private static CaSettings.Builder valid() {
        return CaSettings.builder().subjectDn("CN=Test CA,O=Example").keystorePath(Path.of("/tmp/x/ca.p12"))
                .keystorePassword(SecretRef.literal("secret-pw".toCharArray())).baseUrl("https://ca.example.com:8443/");
    }

    @Test
    void build_valid_defaultsAndUrls() {
        CaSettings settings = valid().build();
        assertEquals(CaKeyType.EC_P256, settings.keyType());
        assertEquals("https://ca.example.com:8443", settings.baseUrl());
        assertEquals("https://ca.example.com:8443/crl", settings.crlUrl());
        assertEquals("https://ca.example.com:8443/ca.crt", settings.caCertificateUrl());
        assertEquals(CaSettings.DEFAULT_CA_VALIDITY, settings.caValidity());
        assertFalse(settings.toString().contains("secret-pw"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ftp://x", "not a url", "https://", "https://h/?q=1", "/relative"})
    void build_badBaseUrl_illegalArgument(String url) {
        assertThrows(IllegalArgumentException.class, () -> valid().baseUrl(url).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "no equals sign", "XX=unknown attribute"})
    void build_badSubjectDn_illegalArgument(String dn) {
        assertThrows(IllegalArgumentException.class, () -> valid().subjectDn(dn).build());
    }

    @Test
    void build_missingOrInvalidValues_illegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> valid().keystorePath(null).build());
        assertThrows(IllegalArgumentException.class, () -> valid().keystorePassword(null).build());
        assertThrows(IllegalArgumentException.class, () -> valid().keyType(null).build());
        assertThrows(IllegalArgumentException.class, () -> valid().caValidity(Duration.ofHours(1)).build());
        assertThrows(IllegalArgumentException.class, () -> valid().tlsValidity(Duration.ZERO).build());
    }

    @Test
    void build_pkcs11WithoutKeystore_validUnlessDelegatedOcspSigner() {
        Pkcs11Settings token = Pkcs11Settings.slot(Path.of("/usr/lib/softhsm/libsofthsm2.so"), 7,
                SecretRef.parse("env:AE_TEST_PIN"), null);
        CaSettings settings = CaSettings.builder().subjectDn("CN=ca").pkcs11(token).baseUrl("https://ca.example.com")
                .build();
        assertEquals(Pkcs11Settings.DEFAULT_KEY_ALIAS, settings.pkcs11().keyAlias());
        assertEquals(7, settings.pkcs11().slot());
        assertFalse(settings.toString().contains("AE_TEST_PIN=") );
        assertThrows(IllegalArgumentException.class, () -> CaSettings.builder().subjectDn("CN=ca").pkcs11(token)
                .ocspDelegatedSigner(true).baseUrl("https://ca.example.com").build());
        assertThrows(IllegalArgumentException.class, () -> Pkcs11Settings.slot(Path.of("/lib/a\"b.so"), 0,
                SecretRef.parse("env:X"), null));
    }
}
