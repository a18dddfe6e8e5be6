package org.autoenroll.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ModifyRequest;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.DirectoryPublisher;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a user's {@code userCertificate} values in Active Directory, over the connection pools of
 * an {@link LdapDirectoryLookup} (same AD server id, same pool, same service account bind).
 *
 * <p>Each call reads the entry's current values, then sends one modify that adds the given values
 * not yet present and deletes the given values that are present: a delete of an absent value would
 * fail the whole modify with noSuchAttribute, an add of a present one with attributeOrValueExists.
 * The modify also carries AD's permissive-modify control (1.2.840.113556.1.4.1413, not critical) so
 * that AD and Samba accept it even when another writer changed the values in between; other
 * directories get one re-read and retry on such a conflict. Nothing to change means no modify.
 *
 * <p>The user DN must lie under the record's {@code usersBaseDn}; a value that does not is refused
 * with {@link ErrorCode#NO_VALID_USER_IN_AD} before any LDAP traffic. LDAP failures raise
 * {@link ErrorCode#AD_UNAVAILABLE} with a detail naming the server, the stage and the result code,
 * never a secret.
 *
 * <p>Thread-safe. Closing the lookup closes the pools this publisher uses.
 */
public final class LdapDirectoryPublisher implements DirectoryPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(LdapDirectoryPublisher.class);

    /** AD's LDAP_SERVER_PERMISSIVE_MODIFY_OID: adding a present or deleting an absent value is no error. */
    static final String PERMISSIVE_MODIFY_OID = "1.2.840.113556.1.4.1413";
    /** At most this many values to add or to remove per call, as many as a lookup reads. */
    static final int MAX_VALUES = EntryMapper.MAX_CERTIFICATES;
    /** Longest DN accepted; AD's limit is far below. */
    static final int MAX_DN_CHARS = 4_096;

    private final LdapDirectoryLookup lookup;

    /** Publishes over {@code lookup}'s pools; the lookup stays the owner (close it, not this). */
    public LdapDirectoryPublisher(LdapDirectoryLookup lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when a list is larger than {@value #MAX_VALUES} values or holds
     *     an empty or oversized value (more than {@link EntryMapper#MAX_CERTIFICATE_BYTES} bytes)
     * @throws EnrollmentException {@link ErrorCode#NO_VALID_USER_IN_AD} when {@code userDn} is no DN or
     *     not under the server's users base DN; {@link ErrorCode#AD_UNAVAILABLE} when the directory cannot
     *     be reached, the entry is gone, or the modify is refused
     */
    @Override
    public void updateCertificates(DirectoryRef directory, String userDn, List<byte[]> add, List<byte[]> remove)
            throws EnrollmentException {
        updateCertificates(lookup.server(directory), userDn, add, remove);
    }

    /** The LDAP-specific form of {@link #updateCertificates(DirectoryRef, String, List, List)}. */
    public void updateCertificates(AdServer server, String userDn, List<byte[]> add, List<byte[]> remove)
            throws EnrollmentException {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(userDn, "userDn");
        List<byte[]> adding = checked("add", add);
        List<byte[]> removing = checked("remove", remove);
        DN dn = checkedDn(server, userDn);
        if (adding.isEmpty() && removing.isEmpty()) {
            return;
        }
        lookup.execute(server, "update of userCertificate on " + dn, connections -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    modify(connections, dn, adding, removing);
                    return null;
                } catch (LDAPException e) {
                    ResultCode code = e.getResultCode();
                    // Another writer changed the values between read and modify: read again, once.
                    if (attempt == 1 && (code == ResultCode.NO_SUCH_ATTRIBUTE || code == ResultCode.ATTRIBUTE_OR_VALUE_EXISTS)) {
                        LOG.debug("AD server {}: {} on userCertificate of {}, re-reading", server.id(), code, dn);
                        continue;
                    }
                    throw e;
                }
            }
        });
    }

    private void modify(LDAPConnectionPool connections, DN dn, List<byte[]> add, List<byte[]> remove)
            throws LDAPException {
        Current current = read(connections, dn);
        List<byte[]> toAdd = new ArrayList<>();
        for (byte[] value : add) {
            if (!contains(current.values, value) && !contains(toAdd, value)) {
                toAdd.add(value);
            }
        }
        List<byte[]> toDelete = new ArrayList<>();
        for (byte[] value : remove) {
            if (contains(current.values, value) && !contains(toDelete, value) && !contains(toAdd, value)) {
                toDelete.add(value);
            }
        }
        if (toAdd.isEmpty() && toDelete.isEmpty()) {
            return;
        }
        List<Modification> changes = new ArrayList<>(2);
        Map<String, List<byte[]>> deletes = new LinkedHashMap<>();
        for (byte[] value : toDelete) {
            deletes.computeIfAbsent(current.nameOf(value), name -> new ArrayList<>()).add(value);
        }
        deletes.forEach((name, values) ->
                changes.add(new Modification(ModificationType.DELETE, name, values.toArray(new byte[0][]))));
        if (!toAdd.isEmpty()) {
            changes.add(new Modification(ModificationType.ADD, current.addAs(), toAdd.toArray(new byte[0][])));
        }
        ModifyRequest request = new ModifyRequest(dn, changes);
        request.addControl(new Control(PERMISSIVE_MODIFY_OID, false));
        request.setResponseTimeoutMillis(lookup.settings().responseTimeout().toMillis());
        connections.modify(request);
        LOG.info("userCertificate of {}: {} added, {} removed", dn, toAdd.size(), toDelete.size());
    }

    /**
     * The values now stored, and the attribute description to write them with: AD stores and
     * returns {@code userCertificate}; a server that returns {@code userCertificate;binary} (RFC 4523)
     * gets that form back.
     */
    private Current read(LDAPConnectionPool connections, DN dn) throws LDAPException {
        SearchRequest request = new SearchRequest(dn.toString(), SearchScope.BASE, DereferencePolicy.NEVER, 1,
                timeLimitSeconds(), false, Filter.createPresenceFilter("objectClass"),
                EntryMapper.USER_CERTIFICATE, EntryMapper.USER_CERTIFICATE + ";binary");
        request.setResponseTimeoutMillis(lookup.settings().responseTimeout().toMillis());
        request.setFollowReferrals(false);
        SearchResultEntry entry = connections.searchForEntry(request);
        if (entry == null) {
            throw new LDAPException(ResultCode.NO_SUCH_OBJECT, "entry not found");
        }
        List<byte[]> values = new ArrayList<>();
        List<String> names = new ArrayList<>();
        String addAs = EntryMapper.USER_CERTIFICATE;
        for (Attribute attribute : entry.getAttributes()) {
            if (!attribute.getBaseName().equalsIgnoreCase(EntryMapper.USER_CERTIFICATE)) {
                continue;
            }
            if (attribute.hasOption("binary")) {
                addAs = attribute.getName();
            }
            for (byte[] value : attribute.getValueByteArrays()) {
                values.add(value);
                names.add(attribute.getName());
            }
        }
        return new Current(values, names, addAs);
    }

    /** Each stored value with the attribute description it came under (a delete must name that one). */
    private record Current(List<byte[]> values, List<String> names, String addAs) {
        String nameOf(byte[] value) {
            for (int i = 0; i < values.size(); i++) {
                if (Arrays.equals(values.get(i), value)) {
                    return names.get(i);
                }
            }
            return addAs;
        }
    }

    private int timeLimitSeconds() {
        return (int) Math.max(1, (lookup.settings().responseTimeout().toMillis() + 999) / 1000);
    }

    private static boolean contains(List<byte[]> values, byte[] value) {
        for (byte[] known : values) {
            if (Arrays.equals(known, value)) {
                return true;
            }
        }
        return false;
    }

    private static List<byte[]> checked(String name, List<byte[]> values) {
        Objects.requireNonNull(values, name);
        if (values.size() > MAX_VALUES) {
            throw new IllegalArgumentException(name + ": more than " + MAX_VALUES + " certificates");
        }
        List<byte[]> copy = new ArrayList<>(values.size());
        for (byte[] value : values) {
            if (value == null || value.length == 0 || value.length > EntryMapper.MAX_CERTIFICATE_BYTES) {
                throw new IllegalArgumentException(name + ": a certificate is empty or larger than "
                        + EntryMapper.MAX_CERTIFICATE_BYTES + " bytes");
            }
            copy.add(value.clone());
        }
        return copy;
    }

    /** Parsed with the SDK and required to be strictly below the users base DN. */
    static DN checkedDn(AdServer server, String userDn) throws EnrollmentException {
        if (userDn.length() > MAX_DN_CHARS) {
            throw new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD, "user DN longer than " + MAX_DN_CHARS + " characters");
        }
        DN dn;
        DN base;
        try {
            dn = new DN(userDn);
        } catch (LDAPException e) {
            throw new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD, "user DN is not a valid DN");
        }
        try {
            base = new DN(server.usersBaseDn());
        } catch (LDAPException e) {
            throw new EnrollmentException(ErrorCode.AD_UNAVAILABLE,
                    "AD server " + server.id() + ": users base DN is not a valid DN");
        }
        if (!dn.isDescendantOf(base, false)) {
            throw new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD,
                    "user DN " + dn + " is not under the users base DN " + base + " of AD server " + server.id());
        }
        return dn;
    }
}
