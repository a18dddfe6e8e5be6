package org.autoenroll.wstep.soap;

import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The one XML reader every SOAP endpoint uses. The JDK's own StAX parser (never whichever one
 * the class path offers), namespace-aware, with DTDs refused outright (a {@code <!DOCTYPE>} is an
 * error, so no entity can be declared, expanded or fetched), no external entities, and bounds on
 * the total size, the nesting depth, the number of elements and of attributes per element, all
 * checked while reading so that a hostile message costs at most its bounded size. Outside input
 * either becomes a tree of {@link SoapElement}s or a {@link MalformedSoapException}; nothing else
 * escapes. Immutable and thread-safe.
 */
public final class SoapReader {
    /** The bounds a message must keep. */
    public record Limits(int maxBytes, int maxDepth, int maxElements, int maxAttributes) {
        /** 256 KiB, depth 32, 4,096 elements, 32 attributes per element: a CMC request with a 16 Kib RSA key fits many times. */
        public static final Limits DEFAULT = new Limits(256 * 1024, 32, 4096, 32);

        public Limits {
            if (maxBytes < 1 || maxDepth < 2 || maxElements < 2 || maxAttributes < 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    private final Limits limits;
    private final XMLInputFactory factory;

    public SoapReader() {
        this(Limits.DEFAULT);
    }

    public SoapReader(Limits limits) {
        this.limits = limits;
        // the JDK's parser, whatever else is on the class path: its behaviour below is what was checked
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resources are not read");
        });
        this.factory = f;
    }

    public Limits limits() {
        return limits;
    }

    /** Reads a whole SOAP 1.2 message: envelope, headers, the body's operation element. */
    public SoapEnvelope readEnvelope(byte[] message) throws MalformedSoapException {
        return SoapEnvelope.of(read(message));
    }

    /** Reads any XML document within the bounds into its root element. */
    public SoapElement read(byte[] document) throws MalformedSoapException {
        if (document == null || document.length == 0) {
            throw new MalformedSoapException("the message is empty");
        }
        if (document.length > limits.maxBytes()) {
            throw new MalformedSoapException("the message is larger than " + limits.maxBytes() + " bytes");
        }
        XMLStreamReader reader = null;
        try {
            reader = factory.createXMLStreamReader(new ByteArrayInputStream(document));
            return readTree(reader);
        } catch (XMLStreamException e) {
            throw new MalformedSoapException("the message is not well-formed XML"
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNumber() + ", column "
                    + e.getLocation().getColumnNumber() + ")" : ""));
        } catch (RuntimeException e) {
            // the JDK parser reports some encoding faults unchecked
            throw new MalformedSoapException("the message is not readable XML");
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing held open: the input is in memory
                }
            }
        }
    }

    private SoapElement readTree(XMLStreamReader reader) throws XMLStreamException, MalformedSoapException {
        Deque<Builder> open = new ArrayDeque<>();
        int elements = 0;
        SoapElement root = null;
        while (reader.hasNext()) {
            int event = reader.next();
            switch (event) {
                case XMLStreamConstants.DTD -> throw new MalformedSoapException("a DTD is not allowed in a SOAP message");
                case XMLStreamConstants.ENTITY_REFERENCE -> throw new MalformedSoapException("entity references are not allowed");
                case XMLStreamConstants.START_ELEMENT -> {
                    if (root != null) {
                        throw new MalformedSoapException("content after the root element");
                    }
                    if (++elements > limits.maxElements()) {
                        throw new MalformedSoapException("the message has more than " + limits.maxElements() + " elements");
                    }
                    if (open.size() >= limits.maxDepth()) {
                        throw new MalformedSoapException("the message nests deeper than " + limits.maxDepth() + " elements");
                    }
                    int count = reader.getAttributeCount();
                    if (count > limits.maxAttributes()) {
                        throw new MalformedSoapException("an element has more than " + limits.maxAttributes() + " attributes");
                    }
                    Map<String, String> attributes = new HashMap<>();
                    for (int i = 0; i < count; i++) {
                        String ns = reader.getAttributeNamespace(i);
                        String local = reader.getAttributeLocalName(i);
                        attributes.put(ns == null || ns.isEmpty() ? local : "{" + ns + "}" + local, reader.getAttributeValue(i));
                    }
                    open.push(new Builder(reader.getNamespaceURI(), reader.getLocalName(), attributes));
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (!open.isEmpty()) {
                        open.peek().text.append(reader.getText());
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    Builder done = open.pop();
                    SoapElement element = done.build();
                    if (open.isEmpty()) {
                        root = element;
                    } else {
                        open.peek().children.add(element);
                    }
                }
                default -> {
                    // comments, processing instructions, the XML declaration: nothing to keep
                }
            }
        }
        if (root == null) {
            throw new MalformedSoapException("the message has no root element");
        }
        return root;
    }

    private static final class Builder {
        final String namespace;
        final String localName;
        final Map<String, String> attributes;
        final StringBuilder text = new StringBuilder();
        final List<SoapElement> children = new ArrayList<>();

        Builder(String namespace, String localName, Map<String, String> attributes) {
            this.namespace = namespace;
            this.localName = localName;
            this.attributes = attributes;
        }

        SoapElement build() {
            return new SoapElement(namespace, localName, attributes, text.toString(), children);
        }
    }
}
