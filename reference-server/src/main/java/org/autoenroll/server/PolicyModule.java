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
import org.autoenroll.api.AdServer;
import org.autoenroll.ldap.AdTemplateSource;
import org.autoenroll.ldap.LdapDirectoryLookup;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;

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

    /**
     * The configured templates (the validator has already refused a configuration with a bad one),
     * and with {@code templatesFromAd} those AD holds, refreshed on a schedule; a name in both is
     * the configuration's.
     */
    @Provides
    @Singleton
    TemplateSource templateSource(LdapDirectoryLookup lookup, AdServerRecords records,
                                   @com.google.inject.name.Named(ServerModule.RELOADABLE) Resources resources) {
        List<String> problems = new ArrayList<>();
        List<CertificateTemplate> configured = TemplateConfig.templates(config.templates(), problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("templates: " + problems);
        }
        ServerConfig.TemplatesFromAd fromAd = config.templatesFromAd();
        if (fromAd == null) {
            return () -> configured;
        }
        AdServer server = records.byId(fromAd.adServer()).orElseThrow(() ->
                new IllegalStateException("templatesFromAd.adServer: no AD server " + fromAd.adServer()));
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ad-template-refresh");
            thread.setDaemon(true);
            return thread;
        });
        resources.register(executor::shutdownNow);
        AdTemplateSource ad = resources.register(AdTemplateSource.builder(lookup, server, executor)
                .refreshInterval(Duration.ofMinutes(fromAd.refreshMinutesOrDefault())).build());
        ad.start();
        Set<String> configuredNames = configured.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return () -> {
            List<CertificateTemplate> all = new ArrayList<>(configured);
            ad.templates().stream().filter(t -> !configuredNames.contains(t.name().toLowerCase(Locale.ROOT))).forEach(all::add);
            return all;
        };
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
