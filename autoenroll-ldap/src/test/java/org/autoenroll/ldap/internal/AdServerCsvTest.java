package org.autoenroll.ldap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import org.autoenroll.api.LdapEndpoint;
import org.autoenroll.ldap.internal.AdServerCsv.CsvException;
import org.autoenroll.ldap.internal.AdServerCsv.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdServerCsvTest {
    private static final String HEADER = "id,windowsDomain,hosts,ssl,usersBaseDn,bindDn,bindPassword,default-for-customer\r\n";
    private static final String GOOD = "corp,example.com,dc1.example.com:636;dc2.example.com;[::1]:1636,true,"
            + "\"CN=Users,DC=example,DC=com\",\"CN=svc \\\"\"auto\\\"\",CN=Users,DC=example,DC=com\",env:AD_CORP,https://example.com/c1\r\n";

    private static List<Row> parse(String csv) throws Exception {
        return AdServerCsv.parse(new StringReader(csv));
    }

    private static CsvException refused(String csv) {
        return assertThrows(CsvException.class, () -> parse(csv));
    }

    @Test
    void parse_goodRows_returnsRecords() throws Exception {
        List<Row> rows = parse(HEADER + GOOD + "lab,LAB.TEST,10.0.0.5,false,\"CN=Users,DC=lab,DC=test\","
                + "\"CN=svc,CN=Users,DC=lab,DC=test\",file:/etc/autoenroll/lab.pw,\n");
        assertEquals(2, rows.size());
        Row corp = rows.get(0);
        assertEquals(2, corp.line());
        assertEquals("EXAMPLE.COM", corp.server().windowsDomain());
        assertEquals(List.of(new LdapEndpoint("dc1.example.com", 636), new LdapEndpoint("dc2.example.com", 636),
                new LdapEndpoint("::1", 1636)), corp.server().hosts());
        assertTrue(corp.server().useSsl());
        assertEquals("CN=svc \\\"auto\\\",CN=Users,DC=example,DC=com", corp.server().bindDn());
        assertEquals("env:AD_CORP", corp.server().bindPassword().toString());
        assertEquals("https://example.com/c1", corp.defaultForCustomer());
        Row lab = rows.get(1);
        assertEquals(List.of(new LdapEndpoint("10.0.0.5", 389)), lab.server().hosts());
        assertFalse(lab.isDefault());
        assertNull(lab.defaultForCustomer());
    }

    @Test
    void parse_withoutOptionalColumnAndQuotedNewline_returnsRecords() throws Exception {
        List<Row> rows = parse("bindPassword,ID,hosts,ssl,usersBaseDn,bindDn,windowsDomain\n"
                + "env:X,a1,h1:389,no,\"CN=Users,\nDC=a,DC=b\",\"CN=s,DC=a,DC=b\",A.B\n"
                + "\n"
                + "env:Y,a2,h2,1,\"DC=a,DC=b\",\"CN=s,DC=a,DC=b\",A.B");
        assertEquals(2, rows.size());
        assertEquals(5, rows.get(1).line(), "the quoted line end counts");
    }

    @Test
    void parse_literalPassword_refusedWithLineWithoutValue() {
        String secret = "S3cret-Literal-Pw!";
        CsvException e = refused(HEADER + GOOD + "lab,LAB.TEST,h,false,\"DC=lab,DC=test\",\"CN=s,DC=lab,DC=test\"," + secret + ",\n");
        assertEquals(3, e.line());
        assertEquals(7, e.column());
        assertFalse(e.getMessage().contains(secret));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // row after the header | line | column
        "corp,EXAMPLE.COM,h:0,false,DC=a,CN=s,env:X,|2|3",
        "corp,EXAMPLE.COM,h:99999,false,DC=a,CN=s,env:X,|2|3",
        "corp,EXAMPLE.COM,h;;g,false,DC=a,CN=s,env:X,|2|3",
        "corp,EXAMPLE.COM,h,maybe,DC=a,CN=s,env:X,|2|4",
        "corp,EXAMPLE.COM,h,false,not a dn,CN=s,env:X,|2|5",
        "corp,EXAMPLE.COM,h,false,DC=a,,env:X,|2|6",
        "corp,EXAMPLE.COM,h,false,DC=a,CN=s,env:,|2|7",
        "c o r p,EXAMPLE.COM,h,false,DC=a,CN=s,env:X,|2|1",
        "corp,EXAMPLE..COM,h,false,DC=a,CN=s,env:X,|2|2",
        "corp,EXAMPLE.COM,h,false,DC=a,CN=s,env:X|2|0",
        "corp,EXAMPLE.COM,h,false,DC=a,CN=s,env:X,a b|2|8",
        "corp,EXAMPLE.COM,h,false,\"DC=a\"x,CN=s,env:X,|2|5",
        "corp,EXAMPLE.COM,h,false,DC=\"a\",CN=s,env:X,|2|5",
    })
    void parse_invalidValue_namesLineAndColumn(String row, int line, int column) {
        CsvException e = refused(HEADER + row + "\n");
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
    }

    @Test
    void parse_unclosedQuote_refused() {
        assertEquals(2, refused(HEADER + "corp,\"EXAMPLE.COM,h").line());
    }

    @Test
    void parse_duplicateId_refused() {
        CsvException e = refused(HEADER + GOOD + GOOD.replace("CORP", "corp"));
        assertEquals(3, e.line());
        assertEquals(1, e.column());
    }

    @Test
    void parse_badHeader_refused() {
        assertEquals(1, refused("id,windowsDomain,hosts\n").line());
        assertEquals(4, refused(HEADER.replace("ssl", "tls") + GOOD).column());
        assertEquals(1, refused("").line());
    }

    @Test
    void parse_tooManyRows_refused() {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i <= AdServerCsv.MAX_ROWS; i++) {
            csv.append(GOOD.replaceFirst("corp", "c" + i));
        }
        assertEquals(0, refused(csv.toString()).column());
    }

    @Test
    void parse_tooLarge_refused() {
        String huge = HEADER + "x".repeat(AdServerCsv.MAX_CHARS);
        assertThrows(CsvException.class, () -> parse(huge));
    }

    @Test
    void parse_maxRows_accepted() throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < AdServerCsv.MAX_ROWS; i++) {
            csv.append(GOOD.replaceFirst("corp", "c" + i));
        }
        assertEquals(AdServerCsv.MAX_ROWS, parse(csv.toString()).size());
    }
}
