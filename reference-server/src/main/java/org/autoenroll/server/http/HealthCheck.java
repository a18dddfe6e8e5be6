package org.autoenroll.server.http;

/** Says whether the server can do its work (the database answers). Thread-safe. */
public interface HealthCheck {
    /** True when healthy; must return within a few seconds. */
    boolean healthy();
}
