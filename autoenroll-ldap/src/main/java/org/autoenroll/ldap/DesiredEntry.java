package org.autoenroll.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldif.LDIFAddChangeRecord;
import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFModifyChangeRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One object as {@link AdPkiPublisher} wants it, and the change records that get it there from
 * what the directory holds: {@code replaced} attributes must hold exactly these values,
 * {@code ensured} ones at least these, {@code onCreate} ones are written only with a new object;
 * a {@code descriptor} is compared by its explicit ACEs and written with the SD_FLAGS control
 * (DACL only). Values are compared as bytes, order ignored. Immutable.
 */
record DesiredEntry(String dn, List<String> objectClasses, String cn, List<Attribute> replaced, List<Attribute> ensured,
                    List<Attribute> onCreate, byte[] descriptor) {
    private static final String SD = "nTSecurityDescriptor";

    DesiredEntry {
        objectClasses = List.copyOf(objectClasses);
        replaced = List.copyOf(replaced);
        ensured = List.copyOf(ensured);
        onCreate = List.copyOf(onCreate);
    }

    /** A container that must exist; an existing one is left as it is. */
    static DesiredEntry container(String dn, String cn) {
        return new DesiredEntry(dn, List.of("top", "container"), cn, List.of(), List.of(), List.of(), null);
    }

    /** A template entry of {@link AdTemplateEntries}: every attribute replaced, the descriptor by its ACEs. */
    static DesiredEntry template(Entry entry) {
        List<Attribute> replaced = entry.getAttributes().stream()
                .filter(a -> !Stream.of("objectClass", "cn", SD).anyMatch(a.getName()::equalsIgnoreCase)).toList();
        return new DesiredEntry(entry.getDN(), List.of(entry.getObjectClassValues()), entry.getAttributeValue("cn"), replaced,
                List.of(), List.of(), entry.getAttributeValueBytes(SD));
    }

    /** Reads the object and compares; an unchanged object has no records. */
    AdPkiPublisher.Change diff(LDAPInterface connection, LdapSettings settings) throws LDAPException {
        SearchResultEntry current = read(connection, settings);
        if (current == null) {
            Entry entry = new Entry(dn);
            entry.addAttribute("objectClass", objectClasses.toArray(String[]::new));
            entry.addAttribute("cn", cn);
            Stream.of(replaced, ensured, onCreate).flatMap(List::stream).forEach(entry::addAttribute);
            List<LDIFChangeRecord> records = new ArrayList<>(List.of(new LDIFAddChangeRecord(entry)));
            if (descriptor != null) {
                records.add(new LDIFModifyChangeRecord(dn, List.of(new Modification(ModificationType.REPLACE, SD, descriptor)),
                        List.of(AdTemplateSource.sdFlagsControl())));
            }
            return new AdPkiPublisher.Change(dn, AdPkiPublisher.Outcome.ADDED, records);
        }
        List<Modification> modifications = new ArrayList<>();
        for (Attribute wanted : replaced) {
            if (!values(current.getAttribute(wanted.getName())).equals(values(wanted))) {
                modifications.add(new Modification(ModificationType.REPLACE, wanted.getName(), wanted.getValueByteArrays()));
            }
        }
        for (Attribute wanted : ensured) {
            Set<String> present = values(current.getAttribute(wanted.getName()));
            List<byte[]> missing = Stream.of(wanted.getValueByteArrays())
                    .filter(v -> !present.contains(HexFormat.of().formatHex(v))).toList();
            if (!missing.isEmpty()) {
                modifications.add(new Modification(ModificationType.ADD, wanted.getName(), missing.toArray(byte[][]::new)));
            }
        }
        boolean descriptorDiffers = descriptor != null && !sameAces(current.getAttributeValueBytes(SD), descriptor);
        if (descriptorDiffers) {
            modifications.add(new Modification(ModificationType.REPLACE, SD, descriptor));
        }
        if (modifications.isEmpty()) {
            return new AdPkiPublisher.Change(dn, AdPkiPublisher.Outcome.UNCHANGED, List.of());
        }
        LDIFModifyChangeRecord modify = new LDIFModifyChangeRecord(dn, modifications,
                descriptorDiffers ? List.of(AdTemplateSource.sdFlagsControl()) : List.of());
        return new AdPkiPublisher.Change(dn, AdPkiPublisher.Outcome.CHANGED, List.of(modify));
    }

    /** The object with the attributes compared, or null when there is none. */
    private SearchResultEntry read(LDAPInterface connection, LdapSettings settings) throws LDAPException {
        List<String> names = new ArrayList<>(List.of("objectClass"));
        Stream.of(replaced, ensured).flatMap(List::stream).map(Attribute::getName).forEach(names::add);
        if (descriptor != null) {
            names.add(SD);
        }
        SearchRequest request = new SearchRequest(dn, SearchScope.BASE, DereferencePolicy.NEVER, 1,
                AccountSearch.timeLimitSeconds(settings), false, Filter.createPresenceFilter("objectClass"),
                names.toArray(String[]::new));
        request.setResponseTimeoutMillis(settings.responseTimeout().toMillis());
        request.setFollowReferrals(false);
        if (descriptor != null) {
            request.addControl(AdTemplateSource.sdFlagsControl());
        }
        try {
            List<SearchResultEntry> found = connection.search(request).getSearchEntries();
            return found.isEmpty() ? null : found.get(0);
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return null;
            }
            throw e;
        }
    }

    private static Set<String> values(Attribute attribute) {
        Set<String> values = new HashSet<>();
        if (attribute != null) {
            for (byte[] value : attribute.getValueByteArrays()) {
                values.add(HexFormat.of().formatHex(value));
            }
        }
        return values;
    }

    /** Whether the directory's descriptor has exactly the explicit ACEs of ours (a malformed one has not). */
    private static boolean sameAces(byte[] current, byte[] wanted) {
        if (current == null) {
            return false;
        }
        try {
            return new LinkedHashSet<>(SecurityDescriptors.explicitAces(current))
                    .equals(new LinkedHashSet<>(SecurityDescriptors.explicitAces(wanted)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
