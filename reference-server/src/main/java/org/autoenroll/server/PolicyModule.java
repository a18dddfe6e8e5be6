package org.autoenroll.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.autoenroll.api.CertificateProfile;
import org.autoenroll.api.CertificateStore;
import org.autoenroll.api.CertificateTemplate;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.EnrollmentPolicy;
import org.autoenroll.api.TemplateSource;
import org.autoenroll.core.policy.DefaultEnrollmentPolicy;
import org.autoenroll.core.policy.TemplateCatalog;
import org.autoenroll.core.policy.TemplatePolicy;
import org.autoenroll.core.requirements.RequirementsService;
import org.autoenroll.core.tenant.TenantRegistry;
import org.autoenroll.server.config.ServerConfig;
import org.autoenroll.server.config.TemplateConfig;

/**
 * The enrollment policy of the reference server: with {@code templates:} in the configuration,
 * AD CS-style templates ({@link TemplatePolicy}) and the requirements list; without, the single
 * {@code profile:} of the seed's certificate manager. Installed by {@link ServerModule}; every
 * part is bound by its interface so that integrators can override it.
 */
final class PolicyModule extends AbstractModule {
    private final ServerConfig config;

    PolicyModule(ServerConfig config) {
        this.config = config;
    }

    @Provides
    @Singleton
    CertificateProfile profile() {
        ServerConfig.Profile p = config.profile();
        return new CertificateProfile("default", Duration.ofDays(p.validityDaysOrDefault()),
                Duration.ofDays(p.renewalWindowDaysOrDefault()), p.publish());
    }

    /** The configured templates; the validator has already refused a configuration with a bad one. */
    @Provides
    @Singleton
    TemplateSource templateSource() {
        List<String> problems = new ArrayList<>();
        List<CertificateTemplate> templates = TemplateConfig.templates(config.templates(), problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("templates: " + problems);
        }
        return () -> templates;
    }

    @Provides
    @Singleton
    TemplateCatalog templateCatalog(TemplateSource source) {
        // one built-in CA offers every template
        return new TemplateCatalog(source, name -> true);
    }

    @Provides
    @Singleton
    EnrollmentPolicy policy(CertificateProfile profile, TemplateCatalog catalog) {
        if (!config.hasTemplates()) {
            return new DefaultEnrollmentPolicy(profile);
        }
        Map<String, String> defaults = new HashMap<>();
        for (ServerConfig.CustomerEntry customer : config.customers()) {
            if (customer.defaultTemplate() != null) {
                defaults.put(customer.uri().strip().toLowerCase(Locale.ROOT), customer.defaultTemplate());
            }
        }
        return new TemplatePolicy(catalog, uri -> Optional.ofNullable(defaults.get(uri.strip().toLowerCase(Locale.ROOT))));
    }

    @Provides
    @Singleton
    RequirementsService requirements(TenantRegistry tenants, DirectoryLookup directory, TemplateCatalog catalog,
                                      CertificateStore certificates, Clock clock) {
        return new RequirementsService(tenants, directory, catalog, certificates, clock);
    }
}
