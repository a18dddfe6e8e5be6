package org.autoenroll.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.autoenroll.api.AccessRule;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.SubjectType;
import org.autoenroll.api.TemplateId;

/**
 * The {@code windows} section: its checks, and its templates as the api's model. Stateless.
 */
public final class WindowsConfig {
    private WindowsConfig() {
    }

    /** Adds what is wrong with {@code windows} to {@code problems}. */
    static void validate(ServerConfig.Windows windows, Set<String> customers, List<String> problems) {
        if (windows.customer() == null || !customers.contains(windows.customer())) {
            problems.add("windows.customer: must name one of the customers");
        }
        if (windows.hostName() == null || !windows.hostName().matches("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?")) {
            problems.add("windows.hostName: required, the host name clients reach the server by (host or host:port)");
        }
        if (windows.caName() == null || !windows.caName().matches("[A-Za-z0-9._-]{1,64}")) {
            problems.add("windows.caName: required, 1-64 letters, digits, '.', '_' or '-' (it is part of the CES path)");
        }
        for (int i = 0; i < windows.templates().size(); i++) {
            try {
                template(windows.templates().get(i));
            } catch (IllegalArgumentException | NullPointerException e) {
                problems.add("windows.templates[" + i + "]: " + e.getMessage());
            }
        }
    }

    /** The configured templates. */
    public static List<CertificateTemplate> templates(ServerConfig.Windows windows) {
        List<CertificateTemplate> templates = new ArrayList<>();
        for (ServerConfig.TemplateEntry entry : windows.templates()) {
            templates.add(template(entry));
        }
        return List.copyOf(templates);
    }

    static CertificateTemplate template(ServerConfig.TemplateEntry entry) {
        if (entry == null || entry.oid() == null) {
            throw new IllegalArgumentException("a template needs a name and an oid");
        }
        CertificateTemplate.Builder builder = CertificateTemplate.builder(entry.name())
                .id(new TemplateId(entry.oid(), entry.majorRevision() == null ? 100 : entry.majorRevision(),
                        entry.minorRevision() == null ? 0 : entry.minorRevision()))
                .subjectType(Boolean.TRUE.equals(entry.computer()) ? SubjectType.COMPUTER : SubjectType.USER)
                .requiresApproval(Boolean.TRUE.equals(entry.requiresApproval()));
        entry.enroll().forEach(trustee -> builder.allow(trustee, AccessRule.Right.ENROLL));
        entry.autoenroll().forEach(trustee -> builder.allow(trustee, AccessRule.Right.AUTOENROLL));
        return builder.build();
    }
}
