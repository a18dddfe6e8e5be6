package org.autoenroll.wstep;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Since when a caller's policy has been what it is now, for {@code policiesNotChanged}: the
 * offered policy is summarized by a digest (templates with their revisions and the caller's
 * rights, and the CAs), and the first time each digest was served is kept. A client whose
 * {@code lastUpdate} is not before that time already has it. Bounded (least recently used
 * digests are forgotten, and a forgotten or restarted one counts as changed, which only costs a
 * full answer). Thread-safe.
 */
final class PolicyChanges {
    static final int MAX_DIGESTS = 10_000;
    private final Clock clock;
    private final Map<String, Instant> firstServed = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_DIGESTS;
        }
    };

    PolicyChanges(Clock clock) {
        this.clock = clock;
    }

    /** Records that this policy is served now; true when the client's lastUpdate shows it has it. */
    synchronized boolean unchangedSince(CepSettings settings, List<CallerTemplates.OfferedTemplate> offered,
                                        java.util.Optional<Instant> lastUpdate) {
        String digest = digest(settings, offered);
        Instant since = firstServed.computeIfAbsent(digest, d -> clock.instant());
        return lastUpdate.isPresent() && !lastUpdate.get().isBefore(since);
    }

    static String digest(CepSettings settings, List<CallerTemplates.OfferedTemplate> offered) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((settings.policyId() + "\n" + settings.friendlyName() + "\n").getBytes(StandardCharsets.UTF_8));
            for (CallerTemplates.OfferedTemplate o : offered) {
                sha.update((o.template() + "|" + o.enroll() + "|" + o.autoenroll() + "|" + o.template().validity() + "|"
                        + o.template().renewalWindow() + "|" + o.template().keyRules() + "|" + o.template().supersedes()
                        + "|" + o.template().extendedKeyUsages() + "|" + o.template().keyUsage() + "|"
                        + o.template().subjectNames() + "|" + o.template().requiresApproval() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            for (CepSettings.Ca ca : settings.cas()) {
                sha.update(ca.certificate());
                sha.update(ca.uris().toString().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }
}
