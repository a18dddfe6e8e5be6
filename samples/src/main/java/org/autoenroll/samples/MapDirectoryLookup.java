package org.autoenroll.samples;

import java.util.Map;
import java.util.Objects;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/**
 * A directory backend of your own: here, entries held in a map keyed by principal. A real one
 * would ask an HR system or another directory; what matters is the contract: answer the entry,
 * {@link ErrorCode#NO_VALID_USER_IN_AD} when there is none, {@link ErrorCode#AD_UNAVAILABLE} when
 * the backend cannot be reached. Immutable and thread-safe.
 */
public final class MapDirectoryLookup implements DirectoryLookup {
    private final Map<String, DirectoryEntry> entriesByPrincipal;

    public MapDirectoryLookup(Map<String, DirectoryEntry> entriesByPrincipal) {
        this.entriesByPrincipal = Map.copyOf(Objects.requireNonNull(entriesByPrincipal));
    }

    @Override
    public DirectoryEntry findUser(DirectoryRef directory, AuthenticatedPrincipal principal) throws EnrollmentException {
        DirectoryEntry entry = entriesByPrincipal.get(principal.principal());
        if (entry == null) {
            throw new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD, "no entry for the principal");
        }
        return entry;
    }
}
