package org.autoenroll.wstep.soap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoapReaderTest {
    private static final SoapReader READER = new SoapReader();
    private static final String ENVELOPE_OPEN = "<s:Envelope xmlns:s=\"" + Namespaces.SOAP + "\" xmlns:a=\"" + Namespaces.WSA + "\">";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readEnvelope_anyPrefixes_matchesByNamespace() throws Exception {
        String[] forms = {
            ENVELOPE_OPEN + "<s:Header><a:Action>x</a:Action><a:MessageID>urn:uuid:1</a:MessageID></s:Header>"
                    + "<s:Body><p:Op xmlns:p=\"urn:op\"/></s:Body></s:Envelope>",
            "<ns0:Envelope xmlns:ns0=\"" + Namespaces.SOAP + "\" xmlns:ns1=\"" + Namespaces.WSA + "\"><ns0:Header>"
                    + "<ns1:Action>x</ns1:Action><ns1:MessageID>urn:uuid:1</ns1:MessageID></ns0:Header>"
                    + "<ns0:Body><Op xmlns=\"urn:op\"/></ns0:Body></ns0:Envelope>",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Envelope xmlns=\"" + Namespaces.SOAP + "\"><Header>"
                    + "<Action xmlns=\"" + Namespaces.WSA + "\">x</Action><MessageID xmlns=\"" + Namespaces.WSA
                    + "\"> urn:uuid:1 </MessageID></Header><Body><!-- c --><Op xmlns=\"urn:op\"/></Body></Envelope>",
        };
        for (String form : forms) {
            SoapEnvelope envelope = READER.readEnvelope(utf8(form));
            assertEquals("x", envelope.action().orElseThrow());
            assertEquals("urn:uuid:1", envelope.messageId().orElseThrow());
            assertTrue(envelope.body().is("urn:op", "Op"), form);
        }
    }

    @Test
    void readEnvelope_wrongNamespaceSamePrefix_isNotAnEnvelope() {
        MalformedSoapException e = assertThrows(MalformedSoapException.class, () -> READER.readEnvelope(utf8(
                "<s:Envelope xmlns:s=\"urn:not-soap\"><s:Body><x/></s:Body></s:Envelope>")));
        assertEquals(MalformedSoapException.FaultCode.SENDER, e.faultCode());
    }

    @Test
    void read_externalEntity_refusedWithoutReadingTheFile(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE s:Envelope [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + ENVELOPE_OPEN + "<s:Body><a:Op>&x;</a:Op></s:Body></s:Envelope>";
        MalformedSoapException e = assertThrows(MalformedSoapException.class, () -> READER.read(utf8(xxe)));
        assertTrue(!e.getMessage().contains("TOP-SECRET"));
    }

    @Test
    void read_billionLaughs_refusedAtTheDtd() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]>");
        assertThrows(MalformedSoapException.class, () -> READER.read(utf8(dtd + "<lolz>&lol9;</lolz>")));
    }

    @Test
    void read_internalDtdWithoutEntities_stillRefused() {
        assertThrows(MalformedSoapException.class, () -> READER.read(utf8("<!DOCTYPE a []><a/>")));
    }

    @Test
    void read_overTheByteLimit_refusedBeforeParsing() {
        SoapReader small = new SoapReader(new SoapReader.Limits(100, 32, 100, 8));
        MalformedSoapException e = assertThrows(MalformedSoapException.class, () -> small.read(new byte[101]));
        assertTrue(e.getMessage().contains("100 bytes"));
    }

    @Test
    void read_tooDeep_refused() {
        String deep = "<a>".repeat(33) + "</a>".repeat(33);
        MalformedSoapException e = assertThrows(MalformedSoapException.class, () -> READER.read(utf8(deep)));
        assertTrue(e.getMessage().contains("deeper"));
        assertEquals("a", assertDoesNotThrowRead("<a>".repeat(32) + "</a>".repeat(32)).localName());
    }

    @Test
    void read_tooManyElements_refused() {
        SoapReader small = new SoapReader(new SoapReader.Limits(1 << 20, 32, 10, 8));
        assertThrows(MalformedSoapException.class, () -> small.read(utf8("<a>" + "<b/>".repeat(10) + "</a>")));
    }

    @Test
    void read_tooManyAttributes_refused() {
        SoapReader small = new SoapReader(new SoapReader.Limits(1 << 20, 32, 10, 2));
        assertThrows(MalformedSoapException.class, () -> small.read(utf8("<a x='1' y='2' z='3'/>")));
    }

    @Test
    void read_notWellFormed_saysWhere() {
        MalformedSoapException e = assertThrows(MalformedSoapException.class, () -> READER.read(utf8("<a><b></a>")));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void readEnvelope_soap11_isVersionMismatch() {
        MalformedSoapException e = assertThrows(MalformedSoapException.class, () -> READER.readEnvelope(utf8(
                "<e:Envelope xmlns:e=\"" + Namespaces.SOAP11 + "\"><e:Body><x/></e:Body></e:Envelope>")));
        assertEquals(MalformedSoapException.FaultCode.VERSION_MISMATCH, e.faultCode());
    }

    @Test
    void readEnvelope_unknownMustUnderstandHeader_isMustUnderstand() {
        MalformedSoapException e = assertThrows(MalformedSoapException.class, () -> READER.readEnvelope(utf8(ENVELOPE_OPEN
                + "<s:Header><x:Odd xmlns:x=\"urn:odd\" s:mustUnderstand=\"true\"/></s:Header><s:Body><x/></s:Body></s:Envelope>")));
        assertEquals(MalformedSoapException.FaultCode.MUST_UNDERSTAND, e.faultCode());
    }

    @Test
    void readEnvelope_unknownOptionalHeader_ignored() throws Exception {
        SoapEnvelope envelope = READER.readEnvelope(utf8(ENVELOPE_OPEN + "<s:Header><ActivityId xmlns=\"urn:diag\">1</ActivityId>"
                + "</s:Header><s:Body><x/></s:Body></s:Envelope>"));
        assertEquals("x", envelope.body().localName());
    }

    @Test
    void readEnvelope_bodyWithTwoElements_refused() {
        assertThrows(MalformedSoapException.class, () -> READER.readEnvelope(utf8(ENVELOPE_OPEN
                + "<s:Body><x/><y/></s:Body></s:Envelope>")));
    }

    @Test
    void read_nilAndText_asSent() throws Exception {
        SoapElement root = READER.read(utf8("<r xmlns:xsi=\"" + Namespaces.XSI + "\"><a xsi:nil=\"true\"/><b> 7 </b>"
                + "<c>&lt;&amp;&#65;</c></r>"));
        assertTrue(root.child("", "a").orElseThrow().isNil());
        assertEquals("7", root.childText("", "b").orElseThrow());
        assertEquals("<&A", root.childText("", "c").orElseThrow());
        assertTrue(root.childText("", "a").isEmpty());
    }

    private static SoapElement assertDoesNotThrowRead(String xml) {
        try {
            return READER.read(utf8(xml));
        } catch (MalformedSoapException e) {
            throw new AssertionError(e);
        }
    }
}
