package org.autoenroll.server.config;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The configuration file is outside input (an operator's typo, a broken deployment template):
 * whatever its bytes, {@link ConfigLoader#parse} and the {@link ConfigValidator} answer with a configuration or a
 * {@link ConfigException} that lists the problems; no parser exception or stack trace escapes
 * (the Guice stack trace an operator once got). Without JAZZER_FUZZ=1 it replays the corpus in
 * {@code src/test/resources/org/autoenroll/server/config/ConfigFuzzTestInputs/}.
 */
class ConfigFuzzTest {
    private static final ConfigLoader LOADER = new ConfigLoader();
    private static final ConfigValidator VALIDATOR = new ConfigValidator();

    @FuzzTest(maxDuration = "30s")
    void parse_anyYaml_onlyConfigException(byte[] yaml) {
        try {
            ServerConfig config = LOADER.parse("fuzz.yaml", yaml);
            if (config == null) {
                throw new AssertionError("null configuration returned");
            }
            VALIDATOR.validate("fuzz.yaml", config);
        } catch (ConfigException e) {
            if (e.problems().isEmpty()) {
                throw new AssertionError("a ConfigException without problems");
            }
        }
    }
}
