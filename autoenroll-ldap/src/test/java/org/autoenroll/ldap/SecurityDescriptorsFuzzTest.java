package org.autoenroll.ldap;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz tests of the security descriptor parser ({@link SecurityDescriptors#enrollmentRules},
 * {@link SecurityDescriptors#explicitAces}),
 * which reads {@code nTSecurityDescriptor} values from the directory: whatever the bytes, only an
 * IllegalArgumentException may escape (no index errors, no endless loop, no huge allocation). The
 * seeds (object ACEs allowing and denying enrollment, plain ACEs, inherited object types, no DACL)
 * are replayed in every build; {@code JAZZER_FUZZ=1 mvn test -Dtest=SecurityDescriptorsFuzzTest} fuzzes.
 */
class SecurityDescriptorsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void enrollmentRules_anyBytes_onlyIllegalArgument(byte[] descriptor) {
        try {
            SecurityDescriptors.enrollmentRules(descriptor);
        } catch (IllegalArgumentException expected) {
            // refused whole: fine
        }
    }

    @FuzzTest(maxDuration = "30s")
    void explicitAces_anyBytes_onlyIllegalArgument(byte[] descriptor) {
        try {
            SecurityDescriptors.explicitAces(descriptor);
        } catch (IllegalArgumentException expected) {
            // refused whole: fine
        }
    }
}
