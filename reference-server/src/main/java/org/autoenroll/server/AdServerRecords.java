package org.autoenroll.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.DirectoryRef;

/**
 * The AD server records of the configuration, by id: how the LDAP backend reaches the directory a
 * tenant's {@link DirectoryRef} names. The tenant model itself knows only the references.
 * Immutable and thread-safe.
 */
public final class AdServerRecords {
    private final Map<String, AdServer> byId;

    public AdServerRecords(List<AdServer> records) {
        Map<String, AdServer> map = new LinkedHashMap<>();
        records.forEach(record -> map.put(record.id(), record));
        this.byId = Map.copyOf(map);
    }

    public Optional<AdServer> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The record {@code ref} names, when it is of the same Windows domain. */
    public Optional<AdServer> of(DirectoryRef ref) {
        return byId(ref.id()).filter(record -> record.windowsDomain().equals(ref.windowsDomain()));
    }

    public List<DirectoryRef> refs() {
        return byId.values().stream().map(AdServer::ref).toList();
    }
}
