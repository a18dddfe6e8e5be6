package org.autoenroll.server.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.KeyRules;
import org.autoenroll.api.KeyUsageBit;
import org.autoenroll.api.SubjectName;
import org.autoenroll.api.SubjectType;
import org.autoenroll.api.TemplateId;

/**
 * Turns the {@code templates:} section into {@link CertificateTemplate}s, naming each problem by
 * its key path. Values and defaults:
 * <ul>
 * <li>{@code name}, {@code oid} (dotted; keep the arcs small, certenroll mishandles large ones):
 *     required; {@code majorRevision} 1, {@code minorRevision} 0;</li>
 * <li>{@code subject}: {@code user} (default) or {@code computer};</li>
 * <li>{@code validityDays} 365, {@code renewalWindowDays} 42 (AD CS's default overlap);</li>
 * <li>{@code keyAlgorithms} [RSA, EC], {@code minimalRsaBits} 2048, {@code maximalRsaBits} 8192,
 *     {@code curves} [P-256, P-384, P-521];</li>
 * <li>{@code keyUsage}: digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment,
 *     keyAgreement (default: by key algorithm);</li>
 * <li>{@code extendedKeyUsages}: clientAuth, serverAuth, emailProtection, smartcardLogon or dotted
 *     OIDs (default: clientAuth);</li>
 * <li>{@code subjectNames}: commonName, email, upn, dns, sidExtension, sidUrl (default by subject);</li>
 * <li>{@code enroll}, {@code autoenroll}, {@code denyEnroll}, {@code denyAutoenroll}: groups by
 *     SID, DN or name ({@code "Domain Users"}); deny beats allow;</li>
 * <li>{@code supersedes}: template names; {@code managerApproval}, {@code publishToDirectory},
 *     {@code renewalOnly}, {@code checkDirectoryCertificates}: false.</li>
 * </ul>
 */
public final class TemplateConfig {
    private static final Map<String, String> EKUS = Map.of(
            "clientauth", CertificateProfile.CLIENT_AUTH,
            "serverauth", CertificateProfile.SERVER_AUTH,
            "emailprotection", CertificateProfile.EMAIL_PROTECTION,
            "smartcardlogon", CertificateProfile.SMART_CARD_LOGON);
    private static final Map<String, KeyUsageBit> KEY_USAGES = Map.of(
            "digitalsignature", KeyUsageBit.DIGITAL_SIGNATURE,
            "nonrepudiation", KeyUsageBit.NON_REPUDIATION,
            "keyencipherment", KeyUsageBit.KEY_ENCIPHERMENT,
            "dataencipherment", KeyUsageBit.DATA_ENCIPHERMENT,
            "keyagreement", KeyUsageBit.KEY_AGREEMENT);
    private static final Map<String, SubjectName> SUBJECT_NAMES = Map.of(
            "commonname", SubjectName.COMMON_NAME,
            "email", SubjectName.EMAIL,
            "upn", SubjectName.UPN,
            "dns", SubjectName.DNS,
            "sidextension", SubjectName.SID_EXTENSION,
            "sidurl", SubjectName.SID_URL);

    private TemplateConfig() {
    }

    /** The templates, or the problems (each with its key path) added to {@code problems}. */
    public static List<CertificateTemplate> templates(List<ServerConfig.TemplateEntry> entries, List<String> problems) {
        List<CertificateTemplate> templates = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> oids = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String at = "templates[" + i + "]";
            ServerConfig.TemplateEntry entry = entries.get(i);
            if (entry == null) {
                problems.add(at + ": empty");
                continue;
            }
            int before = problems.size();
            CertificateTemplate template = template(at, entry, problems);
            if (template == null || problems.size() > before) {
                continue;
            }
            if (!names.add(template.name().toLowerCase(Locale.ROOT))) {
                problems.add(at + ".name: another template is called " + template.name());
            }
            if (!oids.add(template.id().oid())) {
                problems.add(at + ".oid: another template has OID " + template.id().oid());
            }
            templates.add(template);
        }
        Set<String> known = new HashSet<>(names);
        for (int i = 0; i < templates.size(); i++) {
            for (String superseded : templates.get(i).supersedes()) {
                if (!known.contains(superseded.toLowerCase(Locale.ROOT))) {
                    problems.add("templates[" + i + "].supersedes: no template is called " + superseded);
                }
            }
        }
        return templates;
    }

    private static CertificateTemplate template(String at, ServerConfig.TemplateEntry e, List<String> problems) {
        if (e.name() == null || e.name().isBlank()) {
            problems.add(at + ".name: required");
            return null;
        }
        if (e.oid() == null) {
            problems.add(at + ".oid: required (a dotted OID with small arcs, e.g. 1.3.6.1.4.1.311.21.8.1.1)");
            return null;
        }
        CertificateTemplate.Builder b = CertificateTemplate.builder(e.name());
        try {
            b.id(new TemplateId(e.oid(), orDefault(e.majorRevision(), 1), orDefault(e.minorRevision(), 0)));
        } catch (IllegalArgumentException ex) {
            problems.add(at + ".oid: " + ex.getMessage());
            return null;
        }
        String subject = e.subject() == null ? "user" : e.subject().toLowerCase(Locale.ROOT);
        switch (subject) {
            case "user" -> b.subjectType(SubjectType.USER);
            case "computer" -> b.subjectType(SubjectType.COMPUTER);
            default -> problems.add(at + ".subject: must be user or computer, was " + e.subject());
        }
        int validity = orDefault(e.validityDays(), 365);
        int window = orDefault(e.renewalWindowDays(), Math.min(42, validity));
        if (validity < 1 || validity > 3650) {
            problems.add(at + ".validityDays: must be 1-3650, was " + validity);
        } else if (window < 0 || window > validity) {
            problems.add(at + ".renewalWindowDays: must be between 0 and validityDays (" + validity + "), was " + window);
        } else {
            b.validity(Duration.ofDays(validity)).renewalWindow(Duration.ofDays(window));
        }
        try {
            b.keyRules(new KeyRules(new HashSet<>(upper(orDefault(e.keyAlgorithms(), List.of("RSA", "EC")))),
                    orDefault(e.minimalRsaBits(), 2048), orDefault(e.maximalRsaBits(), KeyRules.RSA_CAP),
                    new HashSet<>(upper(orDefault(e.curves(), List.of("P-256", "P-384", "P-521"))))));
        } catch (IllegalArgumentException ex) {
            problems.add(at + ".keyAlgorithms/minimalRsaBits/maximalRsaBits/curves: " + ex.getMessage());
        }
        b.keyUsage(mapped(at + ".keyUsage", orDefault(e.keyUsage(), List.of()), KEY_USAGES, problems).toArray(KeyUsageBit[]::new));
        List<String> ekus = new ArrayList<>();
        for (String eku : orDefault(e.extendedKeyUsages(), List.of("clientAuth"))) {
            String oid = eku == null ? null : EKUS.getOrDefault(eku.toLowerCase(Locale.ROOT), eku);
            if (oid == null || !oid.matches("[0-2](\\.(0|[1-9][0-9]{0,9})){1,30}")) {
                problems.add(at + ".extendedKeyUsages: " + eku + " is neither clientAuth, serverAuth, emailProtection,"
                        + " smartcardLogon nor a dotted OID");
            } else {
                ekus.add(oid);
            }
        }
        b.extendedKeyUsages(ekus);
        if (e.subjectNames() != null) {
            List<SubjectName> names = mapped(at + ".subjectNames", e.subjectNames(), SUBJECT_NAMES, problems);
            b.subjectNames(names.isEmpty() ? EnumSet.noneOf(SubjectName.class) : EnumSet.copyOf(names));
        }
        List<AccessRule> rules = new ArrayList<>();
        rules(at + ".enroll", e.enroll(), AccessRule.Right.ENROLL, true, rules, problems);
        rules(at + ".autoenroll", e.autoenroll(), AccessRule.Right.AUTOENROLL, true, rules, problems);
        rules(at + ".denyEnroll", e.denyEnroll(), AccessRule.Right.ENROLL, false, rules, problems);
        rules(at + ".denyAutoenroll", e.denyAutoenroll(), AccessRule.Right.AUTOENROLL, false, rules, problems);
        b.accessRules(rules).supersedes(orDefault(e.supersedes(), List.of()))
                .requiresApproval(Boolean.TRUE.equals(e.managerApproval()))
                .publishToDirectory(Boolean.TRUE.equals(e.publishToDirectory()))
                .renewalOnly(Boolean.TRUE.equals(e.renewalOnly()))
                .checkDirectoryCertificates(Boolean.TRUE.equals(e.checkDirectoryCertificates()));
        try {
            return b.build();
        } catch (IllegalArgumentException | NullPointerException ex) {
            problems.add(at + ": " + ex.getMessage());
            return null;
        }
    }

    private static void rules(String at, List<String> trustees, AccessRule.Right right, boolean allow, List<AccessRule> rules,
                              List<String> problems) {
        if (trustees == null) {
            return;
        }
        for (String trustee : trustees) {
            if (trustee == null || trustee.isBlank() || trustee.length() > 1024) {
                problems.add(at + ": a group must be a SID, DN or name of 1-1024 characters");
            } else {
                rules.add(new AccessRule(trustee.strip(), right, allow));
            }
        }
    }

    private static <T> List<T> mapped(String at, List<String> values, Map<String, T> known, List<String> problems) {
        List<T> result = new ArrayList<>();
        for (String value : values) {
            T mapped = value == null ? null : known.get(value.toLowerCase(Locale.ROOT));
            if (mapped == null) {
                problems.add(at + ": " + value + " is not one of " + known.keySet());
            } else {
                result.add(mapped);
            }
        }
        return result;
    }

    private static List<String> upper(List<String> values) {
        return values.stream().map(v -> v == null ? "" : v.toUpperCase(Locale.ROOT)).toList();
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
