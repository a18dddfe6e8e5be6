package org.autoenroll.server.config;

import java.util.List;
import java.util.Set;

/**
 * The checks of the {@code windows} section. Stateless.
 */
public final class WindowsConfig {
    private WindowsConfig() {
    }

    /** Adds what is wrong with {@code windows} to {@code problems}. */
    static void validate(ServerConfig.Windows windows, Set<String> customers, boolean hasTemplates, List<String> problems) {
        if (windows.customer() == null || !customers.contains(windows.customer())) {
            problems.add("windows.customer: must name one of the customers");
        }
        if (windows.hostName() == null || !windows.hostName().matches("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?")) {
            problems.add("windows.hostName: required, the host name clients reach the server by (host or host:port)");
        }
        if (windows.caName() == null || !windows.caName().matches("[A-Za-z0-9._-]{1,64}")) {
            problems.add("windows.caName: required, 1-64 letters, digits, '.', '_' or '-' (it is part of the CES path)");
        }
        if (!hasTemplates) {
            problems.add("windows: CEP offers templates: configure templates (or templatesFromAd)");
        }
    }
}
