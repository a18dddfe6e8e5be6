package org.autoenroll.server.cli;

import java.math.BigInteger;
import java.util.Locale;
import picocli.CommandLine;

/**
 * A certificate serial on the command line: 1-40 hex digits (colons and spaces allowed, as tools
 * print them), positive; converted to upper-case hex as the API writes it. Anything else is a
 * usage error before the server is asked.
 */
final class SerialConverter implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
        String digits = value.strip().replace(":", "").replace(" ", "");
        if (digits.isEmpty() || digits.length() > 40 || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)
                || new BigInteger(digits, 16).signum() <= 0) {
            throw new CommandLine.TypeConversionException("not a certificate serial (1-40 hex digits, not zero)");
        }
        return new BigInteger(digits, 16).toString(16).toUpperCase(Locale.ROOT);
    }
}
