package org.autoenroll.core.internal;

import java.math.BigInteger;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;

/** Serial numbers as clients write them: hex, optionally with colons or spaces between bytes. */
public final class Serials {
    /** RFC 5280 allows 20 octets; colons between them make 59 characters. */
    private static final int MAX_CHARS = 64;

    private Serials() {
    }

    /**
     * @throws EnrollmentException {@link ErrorCode#INVALID_SERIAL} for anything but 1-40 hex digits
     */
    public static BigInteger parse(String text) throws EnrollmentException {
        if (text == null || text.isBlank() || text.length() > MAX_CHARS) {
            throw new EnrollmentException(ErrorCode.INVALID_SERIAL, "the serial is missing or too long");
        }
        String digits = text.strip().replace(":", "").replace(" ", "");
        if (digits.isEmpty() || digits.length() > 40 || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new EnrollmentException(ErrorCode.INVALID_SERIAL, "the serial is not a hexadecimal number");
        }
        return new BigInteger(digits, 16);
    }

    /** Upper-case hex without separators, as the server answers. */
    public static String format(BigInteger serial) {
        return serial.toString(16).toUpperCase(java.util.Locale.ROOT);
    }
}
