package org.autoenroll.ldap.internal;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.autoenroll.api.AdServer;
import org.autoenroll.api.SecretRef;

/**
 * Reads AD server records from CSV (RFC 4180: comma separated, fields optionally in double quotes,
 * {@code ""} for a quote inside, CRLF or LF line ends). The first line names the columns, in any
 * order, case and with or without dashes: {@code id, windowsDomain, hosts, ssl, usersBaseDn, bindDn,
 * bindPassword} and optionally {@code defaultForCustomer} (a customer URI this record is the default
 * AD server of). {@code hosts} is {@code host:port;host:port} (IPv6 as {@code [::1]:389}; without a port
 * 389, or 636 with ssl). {@code ssl} is true/false (yes/no, 1/0). {@code bindPassword} must be a secret
 * reference, {@code env:NAME} or {@code file:/path}: a literal password is refused and never echoed.
 *
 * <p>Each record follows {@link AdServerRules}, as the configuration's {@code adServers} do.
 *
 * <p>Bounded: at most {@value #MAX_CHARS} characters, {@value #MAX_ROWS} records and
 * {@value #MAX_FIELD_CHARS} characters per field. Every error names the line and column (1-based,
 * the column being the field's position), never a field's value.
 *
 * <pre>{@code
 * id,windowsDomain,hosts,ssl,usersBaseDn,bindDn,bindPassword,defaultForCustomer
 * corp,EXAMPLE.COM,dc1.example.com:636;dc2.example.com:636,true,"CN=Users,DC=example,DC=com",
 *     "CN=svc-autoenroll,CN=Users,DC=example,DC=com",env:AD_CORP_PASSWORD,https://example.com/customer
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class AdServerCsv {
    /** Largest input accepted, in characters (1 MiB). */
    public static final int MAX_CHARS = 1024 * 1024;
    /** Most records accepted, header not counted. */
    public static final int MAX_ROWS = 1_000;
    public static final int MAX_FIELD_CHARS = 4_096;

    private static final List<String> REQUIRED = List.of("id", "windowsdomain", "hosts", "ssl", "usersbasedn", "binddn",
            "bindpassword");
    private static final String DEFAULT_FOR_CUSTOMER = "defaultforcustomer";

    private AdServerCsv() {
    }

    /**
     * One record read from the CSV.
     *
     * @param line the line it starts on
     * @param server the AD server record
     * @param defaultForCustomer the customer URI whose default AD server this is, or null
     */
    public record Row(int line, AdServer server, String defaultForCustomer) {
        public Row {
            Objects.requireNonNull(server, "server");
        }

        /** True when the row names a customer it is the default AD server of. */
        public boolean isDefault() {
            return defaultForCustomer != null;
        }
    }

    /** A refused input, naming where: line and column (both 1-based; column 0 for the whole line). */
    public static final class CsvException extends Exception {
        private final int line;
        private final int column;

        CsvException(int line, int column, String problem) {
            super("line " + line + (column > 0 ? ", column " + column : "") + ": " + problem);
            this.line = line;
            this.column = column;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }
    }

    /**
     * Reads every record; all or nothing.
     *
     * @throws CsvException at the first malformed or invalid value
     * @throws IOException when the reader fails
     */
    public static List<Row> parse(Reader reader) throws IOException, CsvException {
        Objects.requireNonNull(reader, "reader");
        List<Record> records = new Tokenizer(reader).records();
        if (records.isEmpty()) {
            throw new CsvException(1, 0, "empty input: the first line must name the columns");
        }
        Record header = records.get(0);
        Map<String, Integer> columns = header(header);
        List<Row> rows = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Record record : records.subList(1, records.size())) {
            if (record.isBlank()) {
                continue;
            }
            if (record.fields.size() != header.fields.size()) {
                throw new CsvException(record.line, 0, record.fields.size() + " fields where the header has "
                        + header.fields.size());
            }
            Row row = row(record, columns);
            if (!ids.add(row.server().id().toLowerCase(Locale.ROOT))) {
                throw new CsvException(record.line, columns.get("id") + 1, "id repeats an earlier row's id");
            }
            rows.add(row);
        }
        return List.copyOf(rows);
    }

    private static Map<String, Integer> header(Record header) throws CsvException {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.fields.size(); i++) {
            String name = header.fields.get(i).trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "");
            if (!REQUIRED.contains(name) && !name.equals(DEFAULT_FOR_CUSTOMER)) {
                throw new CsvException(header.line, i + 1, "unknown column; the columns are id, windowsDomain, hosts, ssl, "
                        + "usersBaseDn, bindDn, bindPassword and optionally defaultForCustomer");
            }
            if (columns.put(name, i) != null) {
                throw new CsvException(header.line, i + 1, "column named twice");
            }
        }
        for (String required : REQUIRED) {
            if (!columns.containsKey(required)) {
                throw new CsvException(header.line, 0, "the header lacks the column " + required);
            }
        }
        return columns;
    }

    private static Row row(Record record, Map<String, Integer> columns) throws CsvException {
        Field sslField = field(record, columns, "ssl");
        boolean ssl = switch (sslField.value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw sslField.error("ssl: must be true or false");
        };
        Field id = field(record, columns, "id");
        Field domain = field(record, columns, "windowsdomain");
        Field hosts = field(record, columns, "hosts");
        Field base = field(record, columns, "usersbasedn");
        Field bindDn = field(record, columns, "binddn");
        Field password = field(record, columns, "bindpassword");
        List<String> hostList = hosts.value.isEmpty() ? List.of() : List.of(hosts.value.split(";", -1));
        // the same rules, and words, as the configuration's adServers; the first problem is reported with its column
        List<AdServerRules.Problem> problems = AdServerRules.check(id.value, domain.value, hostList, ssl, base.value,
                bindDn.value, password.value);
        if (!problems.isEmpty()) {
            AdServerRules.Problem first = problems.get(0);
            Field at = field(record, columns, first.field().toLowerCase(Locale.ROOT));
            throw at.error(first.toString());
        }
        String defaultFor = null;
        Integer defaultColumn = columns.get(DEFAULT_FOR_CUSTOMER);
        if (defaultColumn != null) {
            Field f = new Field(record.fields.get(defaultColumn).trim(), record.line, defaultColumn + 1);
            if (!f.value.isEmpty()) {
                if (f.value.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || f.value.indexOf(' ') >= 0) {
                    throw f.error("defaultForCustomer must be a customer URI without spaces or control characters");
                }
                defaultFor = f.value;
            }
        }
        try {
            return new Row(record.line, new AdServer(id.value, domain.value, AdServerRules.endpoints(hostList, ssl), ssl,
                    base.value, bindDn.value, SecretRef.parse(password.value)), defaultFor);
        } catch (IllegalArgumentException e) {
            throw new CsvException(record.line, 0, "invalid AD server record");
        }
    }

    private static Field field(Record record, Map<String, Integer> columns, String name) throws CsvException {
        int index = columns.get(name);
        return new Field(record.fields.get(index).trim(), record.line, index + 1);
    }

    private record Field(String value, int line, int column) {
        CsvException error(String problem) {
            return new CsvException(line, column, problem);
        }
    }

    /** One CSV record: its fields and the line it starts on. */
    private record Record(int line, List<String> fields) {
        boolean isBlank() {
            return fields.size() == 1 && fields.get(0).isBlank();
        }
    }

    /** RFC 4180 state machine over a bounded reader. Not thread-safe; one per parse. */
    private static final class Tokenizer {
        private final Reader reader;
        private int read;
        private int line = 1;
        private int pushback = -2;

        Tokenizer(Reader reader) {
            this.reader = reader;
        }

        List<Record> records() throws IOException, CsvException {
            List<Record> records = new ArrayList<>();
            int c = next();
            if (c == '\uFEFF') {
                c = next();
            }
            if (c == -1) {
                return records;
            }
            unread(c);
            while (true) {
                int startLine = line;
                List<String> fields = new ArrayList<>();
                boolean end = readRecord(fields);
                Record record = new Record(startLine, fields);
                if (!(end && record.isBlank())) {
                    records.add(record);
                }
                if (records.size() > MAX_ROWS + 1) {
                    throw new CsvException(startLine, 0, "more than " + MAX_ROWS + " rows");
                }
                if (end) {
                    return records;
                }
            }
        }

        /** Reads one record's fields; true when the input ended with it. */
        private boolean readRecord(List<String> fields) throws IOException, CsvException {
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean afterQuote = false;
            boolean fieldStart = true;
            while (true) {
                int c = next();
                int column = fields.size() + 1;
                if (quoted) {
                    if (c == -1) {
                        throw new CsvException(line, column, "a quoted field is not closed");
                    }
                    if (c == '"') {
                        int d = next();
                        if (d == '"') {
                            append(field, '"', column);
                        } else {
                            quoted = false;
                            afterQuote = true;
                            unread(d);
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        append(field, (char) c, column);
                    }
                    continue;
                }
                if (c == ',' ) {
                    fields.add(field.toString());
                    field.setLength(0);
                    fieldStart = true;
                    afterQuote = false;
                    continue;
                }
                if (c == '\r') {
                    int d = next();
                    if (d != '\n') {
                        unread(d);
                    }
                    c = '\n';
                }
                if (c == '\n' || c == -1) {
                    fields.add(field.toString());
                    if (c == '\n') {
                        line++;
                        // A final line end is no further record.
                        int d = next();
                        if (d == -1) {
                            return true;
                        }
                        unread(d);
                        return false;
                    }
                    return true;
                }
                if (afterQuote) {
                    throw new CsvException(line, column, "text after a closing quote: double a quote inside a quoted field");
                }
                if (c == '"') {
                    if (!fieldStart) {
                        throw new CsvException(line, column, "a quote inside an unquoted field: quote the whole field");
                    }
                    quoted = true;
                    fieldStart = false;
                    continue;
                }
                fieldStart = false;
                append(field, (char) c, column);
            }
        }

        private void append(StringBuilder field, char c, int column) throws CsvException {
            if (field.length() >= MAX_FIELD_CHARS) {
                throw new CsvException(line, column, "field longer than " + MAX_FIELD_CHARS + " characters");
            }
            field.append(c);
        }

        private int next() throws IOException, CsvException {
            if (pushback != -2) {
                int c = pushback;
                pushback = -2;
                return c;
            }
            int c = reader.read();
            if (c != -1 && ++read > MAX_CHARS) {
                throw new CsvException(line, 0, "input larger than " + MAX_CHARS + " characters");
            }
            return c;
        }

        private void unread(int c) {
            pushback = c;
        }
    }
}
