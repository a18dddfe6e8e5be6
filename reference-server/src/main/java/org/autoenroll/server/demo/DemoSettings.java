package org.autoenroll.server.demo;

import java.nio.file.Path;
import java.util.Objects;
import org.autoenroll.ca.CaKeyType;

/**
 * What a load test varies in the demo: the CA's key type and where certificates are recorded (the
 * embedded H2 database in the data directory, or PostgreSQL at a JDBC URL, for which the database
 * user needs no password: trust or peer authentication of a throwaway cluster).
 *
 * @param caKeyType the demo CA's key
 * @param postgresqlUrl null for H2; else {@code jdbc:postgresql://host:port/database}
 * @param postgresqlUser the database user, null for {@code postgres}
 */
public record DemoSettings(CaKeyType caKeyType, String postgresqlUrl, String postgresqlUser) {
    public static final DemoSettings DEFAULTS = new DemoSettings(CaKeyType.EC_P256, null, null);

    public DemoSettings {
        Objects.requireNonNull(caKeyType, "caKeyType");
        if (postgresqlUrl != null && !postgresqlUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: jdbc:postgresql://host:port/database");
        }
    }

    /**
     * The configuration's database section: H2 in {@code dbDir}, or PostgreSQL with a password
     * reference to {@code passwordFile} (the configuration needs one; trust authentication ignores it).
     */
    String databaseSection(Path dbDir, Path passwordFile) {
        if (postgresqlUrl == null) {
            return "database:\n  dataDir: " + DemoEnvironment.quoted(dbDir);
        }
        return "database:\n  url: " + DemoEnvironment.quoted(postgresqlUrl) + "\n  user: "
                + DemoEnvironment.quoted(postgresqlUser == null ? "postgres" : postgresqlUser)
                + "\n  password: " + DemoEnvironment.quoted("file:" + passwordFile);
    }
}
