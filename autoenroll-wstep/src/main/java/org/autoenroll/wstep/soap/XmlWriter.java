package org.autoenroll.wstep.soap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes XML in exactly the order it is called, which is what MS-XCEP and MS-WSTEP clients
 * need: Windows rejects a schema sequence out of order. Escapes text and attribute values, and
 * refuses characters XML 1.0 cannot carry. No XML declaration (Windows and cepces send none and
 * need none). Not thread-safe; one per message.
 */
public final class XmlWriter {
    private final StringBuilder out = new StringBuilder(4096);
    private final Deque<String> open = new ArrayDeque<>();
    private boolean startTagOpen;

    /** Opens {@code prefix:name}; declare namespaces with {@link #namespace} right after. */
    public XmlWriter open(String prefix, String name) {
        closeStartTag();
        String qualified = prefix == null || prefix.isEmpty() ? name : prefix + ":" + name;
        out.append('<').append(qualified);
        open.push(qualified);
        startTagOpen = true;
        return this;
    }

    /** Declares {@code xmlns:prefix} on the element just opened. */
    public XmlWriter namespace(String prefix, String uri) {
        return attribute(prefix == null || prefix.isEmpty() ? "xmlns" : "xmlns:" + prefix, uri);
    }

    /** An attribute of the element just opened. */
    public XmlWriter attribute(String qualifiedName, String value) {
        if (!startTagOpen) {
            throw new IllegalStateException("attribute " + qualifiedName + " after content");
        }
        out.append(' ').append(qualifiedName).append("=\"");
        escape(value, true);
        out.append('"');
        return this;
    }

    public XmlWriter text(String value) {
        closeStartTag();
        escape(value, false);
        return this;
    }

    public XmlWriter close() {
        String name = open.pop();
        if (startTagOpen) {
            out.append("/>");
            startTagOpen = false;
        } else {
            out.append("</").append(name).append('>');
        }
        return this;
    }

    /** {@code <prefix:name>value</prefix:name>}. */
    public XmlWriter leaf(String prefix, String name, String value) {
        return open(prefix, name).text(value).close();
    }

    /** {@code <prefix:name xsi:nil="true"/>}; the {@code xsi} prefix must be declared. */
    public XmlWriter nil(String prefix, String name) {
        return open(prefix, name).attribute("xsi:nil", "true").close();
    }

    public String toXml() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed element " + open.peek());
        }
        return out.toString();
    }

    public byte[] toBytes() {
        return toXml().getBytes(StandardCharsets.UTF_8);
    }

    private void closeStartTag() {
        if (startTagOpen) {
            out.append('>');
            startTagOpen = false;
        }
    }

    private void escape(String value, boolean attribute) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append(attribute ? "&quot;" : "\"");
                case '\n', '\r', '\t' -> {
                    if (attribute) {
                        out.append("&#").append((int) c).append(';');
                    } else {
                        out.append(c == '\r' ? "&#13;" : String.valueOf(c));
                    }
                }
                default -> {
                    if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
                        out.append('?');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
