package org.autoenroll.wstep;

import java.util.EnumMap;
import java.util.Map;
import org.autoenroll.api.ErrorCode;

/**
 * The HRESULT a Windows client is told in {@code CertificateEnrollmentWSDetail/ErrorCode} for each
 * code of our catalogue, so that certreq, the autoenrollment event log and the MMC show a message
 * of their own (winerror.h; the CERTSRV_E_* values are those AD CS answers with, MS-WCCE 2.2.2.9
 * and MS-WSTEP 3.1.4.1.4). A code without a closer match gets one by its category. Stateless.
 */
public final class Hresults {
    public static final int E_FAIL = 0x80004005;
    public static final int E_ACCESSDENIED = 0x80070005;
    public static final int E_INVALIDARG = 0x80070057;
    public static final int NTE_BAD_DATA = 0x80090005;
    public static final int NTE_BAD_KEY = 0x80090003;
    public static final int CERTSRV_E_BAD_REQUESTSUBJECT = 0x80094001;
    public static final int CERTSRV_E_NO_REQUEST = 0x80094002;
    public static final int CERTSRV_E_BAD_REQUESTSTATUS = 0x80094003;
    public static final int CERTSRV_E_BAD_RENEWAL_CERT_ATTRIBUTE = 0x8009400E;
    public static final int CERTSRV_E_ENROLL_DENIED = 0x80094011;
    public static final int CERTSRV_E_TEMPLATE_DENIED = 0x80094012;
    public static final int CERTSRV_E_ADMIN_DENIED_REQUEST = 0x80094014;
    public static final int CERTSRV_E_UNSUPPORTED_CERT_TYPE = 0x80094800;
    public static final int CERTSRV_E_SUBJECT_DNS_REQUIRED = 0x8009480F;
    public static final int CERTSRV_E_KEY_LENGTH = 0x80094811;
    public static final int CERTSRV_E_SUBJECT_EMAIL_REQUIRED = 0x80094812;
    public static final int CERTSRV_E_RENEWAL_BAD_PUBLIC_KEY = 0x80094816;
    /** HRESULT_FROM_WIN32(ERROR_NO_SUCH_USER). */
    public static final int NO_SUCH_USER = 0x80070525;
    /** HRESULT_FROM_WIN32(ERROR_ACCOUNT_DISABLED). */
    public static final int ACCOUNT_DISABLED = 0x80070533;
    /** HRESULT_FROM_WIN32(ERROR_DS_SERVER_DOWN). */
    public static final int DS_SERVER_DOWN = 0x8007203A;
    /** HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE): what a CES says when its CA does not answer. */
    public static final int RPC_S_SERVER_UNAVAILABLE = 0x800706BA;

    private static final Map<ErrorCode, Integer> BY_CODE = new EnumMap<>(ErrorCode.class);

    static {
        BY_CODE.put(ErrorCode.TEMPLATE_DENIED, CERTSRV_E_TEMPLATE_DENIED);
        BY_CODE.put(ErrorCode.SUBJECT_TYPE_MISMATCH, CERTSRV_E_TEMPLATE_DENIED);
        BY_CODE.put(ErrorCode.TEMPLATE_UNKNOWN, CERTSRV_E_UNSUPPORTED_CERT_TYPE);
        BY_CODE.put(ErrorCode.KEY_NOT_ALLOWED, CERTSRV_E_KEY_LENGTH);
        BY_CODE.put(ErrorCode.INVALID_CSR, NTE_BAD_DATA);
        BY_CODE.put(ErrorCode.NO_REQUEST, NTE_BAD_DATA);
        BY_CODE.put(ErrorCode.RENEWAL_ONLY, CERTSRV_E_ENROLL_DENIED);
        BY_CODE.put(ErrorCode.REQUEST_DENIED, CERTSRV_E_ADMIN_DENIED_REQUEST);
        BY_CODE.put(ErrorCode.REQUEST_EXPIRED, CERTSRV_E_BAD_REQUESTSTATUS);
        BY_CODE.put(ErrorCode.REQUEST_NOT_FOUND, CERTSRV_E_NO_REQUEST);
        BY_CODE.put(ErrorCode.INVALID_SERIAL, CERTSRV_E_BAD_RENEWAL_CERT_ATTRIBUTE);
        BY_CODE.put(ErrorCode.NO_DNS_NAME_IN_AD, CERTSRV_E_SUBJECT_DNS_REQUIRED);
        BY_CODE.put(ErrorCode.NO_VALID_EMAIL_IN_AD, CERTSRV_E_SUBJECT_EMAIL_REQUIRED);
        BY_CODE.put(ErrorCode.NO_EMAIL, CERTSRV_E_SUBJECT_EMAIL_REQUIRED);
        BY_CODE.put(ErrorCode.EMAIL_IN_AD_MISMATCH, CERTSRV_E_BAD_REQUESTSUBJECT);
        BY_CODE.put(ErrorCode.USER_NAME_IN_AD_MISMATCH, CERTSRV_E_BAD_REQUESTSUBJECT);
        BY_CODE.put(ErrorCode.NO_VALID_USER_IN_AD, NO_SUCH_USER);
        BY_CODE.put(ErrorCode.ACCOUNT_DISABLED, ACCOUNT_DISABLED);
        BY_CODE.put(ErrorCode.AD_UNAVAILABLE, DS_SERVER_DOWN);
        BY_CODE.put(ErrorCode.CERTIFICATE_ISSUANCE_FAILED, RPC_S_SERVER_UNAVAILABLE);
        BY_CODE.put(ErrorCode.MALFORMED_REQUEST, E_INVALIDARG);
        BY_CODE.put(ErrorCode.REQUEST_TOO_LARGE, E_INVALIDARG);
    }

    private Hresults() {
    }

    /** The HRESULT for {@code code}; always a failure (severity bit set). */
    public static int of(ErrorCode code) {
        Integer exact = BY_CODE.get(code);
        if (exact != null) {
            return exact;
        }
        return switch (code.category()) {
            case AUTHENTICATION -> E_ACCESSDENIED;
            case REQUEST -> E_INVALIDARG;
            case TENANT, POLICY -> CERTSRV_E_ENROLL_DENIED;
            case DIRECTORY -> DS_SERVER_DOWN;
            case CA -> RPC_S_SERVER_UNAVAILABLE;
            default -> E_FAIL;
        };
    }

    /** Whether the request itself was at fault ({@code InvalidRequest}), not the server or its peers. */
    public static boolean invalidRequest(ErrorCode code) {
        return switch (code.category()) {
            case REQUEST, POLICY, TENANT, AUTHENTICATION -> true;
            default -> false;
        };
    }
}
