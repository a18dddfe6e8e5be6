package org.autoenroll.wstep.soap;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One element of a parsed SOAP message: its namespace and local name (never its prefix), its
 * attributes keyed by {@code {namespace}local} ({@code local} alone for unqualified ones), its
 * own character data and its child elements. Made only by {@link SoapReader}, within its bounds.
 * Immutable and thread-safe.
 */
public final class SoapElement {
    private final String namespace;
    private final String localName;
    private final Map<String, String> attributes;
    private final String text;
    private final List<SoapElement> children;

    SoapElement(String namespace, String localName, Map<String, String> attributes, String text, List<SoapElement> children) {
        this.namespace = namespace == null ? "" : namespace;
        this.localName = Objects.requireNonNull(localName);
        this.attributes = Map.copyOf(attributes);
        this.text = text;
        this.children = List.copyOf(children);
    }

    public String namespace() {
        return namespace;
    }

    public String localName() {
        return localName;
    }

    public boolean is(String ns, String local) {
        return namespace.equals(ns) && localName.equals(local);
    }

    /** The element's own character data (not its children's), as sent. */
    public String text() {
        return text;
    }

    /** The character data with outer white space removed. */
    public String trimmedText() {
        return text.strip();
    }

    public List<SoapElement> children() {
        return children;
    }

    /** The first child with this name. */
    public Optional<SoapElement> child(String ns, String local) {
        return children.stream().filter(c -> c.is(ns, local)).findFirst();
    }

    /** All children with this name, in document order. */
    public List<SoapElement> children(String ns, String local) {
        return children.stream().filter(c -> c.is(ns, local)).toList();
    }

    /** An attribute in no namespace. */
    public Optional<String> attribute(String local) {
        return Optional.ofNullable(attributes.get(local));
    }

    /** An attribute in namespace {@code ns}. */
    public Optional<String> attribute(String ns, String local) {
        return Optional.ofNullable(attributes.get(ns == null || ns.isEmpty() ? local : "{" + ns + "}" + local));
    }

    /** {@code xsi:nil="true"} (or {@code "1"}). */
    public boolean isNil() {
        return attribute(Namespaces.XSI, "nil").map(v -> v.strip().equals("true") || v.strip().equals("1")).orElse(false);
    }

    /** The text of a child that is present and not nil. */
    public Optional<String> childText(String ns, String local) {
        return child(ns, local).filter(c -> !c.isNil()).map(SoapElement::trimmedText);
    }

    @Override
    public String toString() {
        return "{" + namespace + "}" + localName;
    }
}
