package org.autoenroll.wstep.soap;

/**
 * The message is not a SOAP 1.2 message this server reads: not well-formed, a DTD, past a bound,
 * another SOAP version, an unknown header that must be understood, a missing element. The
 * message says what, in words safe to send back (no echo of the input beyond element names).
 */
public final class MalformedSoapException extends Exception {
    /** The SOAP 1.2 fault code the answer carries: {@code Sender}, {@code VersionMismatch} or {@code MustUnderstand}. */
    public enum FaultCode { SENDER, VERSION_MISMATCH, MUST_UNDERSTAND }

    private final FaultCode faultCode;

    public MalformedSoapException(String message) {
        this(FaultCode.SENDER, message);
    }

    public MalformedSoapException(FaultCode faultCode, String message) {
        super(message, null, false, false);
        this.faultCode = faultCode;
    }

    public FaultCode faultCode() {
        return faultCode;
    }
}
