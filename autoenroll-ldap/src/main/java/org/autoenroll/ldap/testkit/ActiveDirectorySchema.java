package org.autoenroll.ldap.testkit;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.schema.Schema;

/**
 * The slice of the Active Directory schema (MS-ADA1/MS-ADSC) that autoenrollment reads, with AD's
 * own OIDs, merged over UnboundID's standard schema, and what {@code publish-ad} writes (the CA and
 * enrollment service objects). {@code user} is structural under {@code top}
 * so that entries need no {@code sn}, as in AD.
 *
 * <p>Stateless and thread-safe.
 */
final class ActiveDirectorySchema {
    private static final String DIRECTORY_STRING = "1.3.6.1.4.1.1466.115.121.1.15";
    private static final String INTEGER = "1.3.6.1.4.1.1466.115.121.1.27";
    private static final String DN = "1.3.6.1.4.1.1466.115.121.1.12";
    private static final String OCTET_STRING = "1.3.6.1.4.1.1466.115.121.1.40";

    private ActiveDirectorySchema() {
    }

    static Schema withStandardSchema() throws LDAPException {
        Entry ad = new Entry("cn=schema",
                new Attribute("objectClass", "top", "ldapSubentry", "subschema"),
                new Attribute("attributeTypes",
                        string("1.2.840.113556.1.4.221", "sAMAccountName", true),
                        string("1.2.840.113556.1.4.656", "userPrincipalName", true),
                        string("1.2.840.113556.1.2.210", "proxyAddresses", false),
                        "( 1.2.840.113556.1.4.8 NAME 'userAccountControl' EQUALITY integerMatch SYNTAX " + INTEGER
                                + " SINGLE-VALUE X-ORIGIN 'MS-ADA3' )",
                        // Integer8 in AD (a FILETIME); 0 when not locked out.
                        "( 1.2.840.113556.1.4.662 NAME 'lockoutTime' EQUALITY integerMatch SYNTAX " + INTEGER
                                + " SINGLE-VALUE X-ORIGIN 'MS-ADA2' )",
                        "( 1.2.840.113556.1.4.750 NAME 'groupType' EQUALITY integerMatch SYNTAX " + INTEGER
                                + " SINGLE-VALUE X-ORIGIN 'MS-ADA1' )",
                        // AD computes memberOf from member; the in-memory server does not, so the test kit writes it.
                        "( 1.2.840.113556.1.2.102 NAME 'memberOf' EQUALITY distinguishedNameMatch SYNTAX " + DN
                                + " X-ORIGIN 'MS-ADA2' )",
                        "( 1.2.840.113556.1.4.146 NAME 'objectSid' EQUALITY octetStringMatch SYNTAX " + OCTET_STRING
                                + " SINGLE-VALUE X-ORIGIN 'MS-ADA3' )",
                        string("1.2.840.113556.1.4.619", "dNSHostName", true),
                        // Integer8 in AD (a FILETIME); 0 or 0x7FFFFFFFFFFFFFFF: never expires.
                        "( 1.2.840.113556.1.4.159 NAME 'accountExpires' EQUALITY integerMatch SYNTAX " + INTEGER
                                + " SINGLE-VALUE X-ORIGIN 'MS-ADA1' )",
                        // pKICertificateTemplate (MS-CRTD 2): what AdTemplateSource reads
                        integer("1.2.840.113556.1.4.38", "flags"),
                        integer("1.2.840.113556.1.4.145", "revision"),
                        binary("1.2.840.113556.1.4.1328", "pKIKeyUsage"),
                        binary("1.2.840.113556.1.4.1331", "pKIExpirationPeriod"),
                        binary("1.2.840.113556.1.4.1332", "pKIOverlapPeriod"),
                        multi("1.2.840.113556.1.4.1333", "pKIExtendedKeyUsage"),
                        integer("1.2.840.113556.1.4.1429", "msPKI-RA-Signature"),
                        integer("1.2.840.113556.1.4.1430", "msPKI-Enrollment-Flag"),
                        integer("1.2.840.113556.1.4.1431", "msPKI-Private-Key-Flag"),
                        integer("1.2.840.113556.1.4.1432", "msPKI-Certificate-Name-Flag"),
                        integer("1.2.840.113556.1.4.1433", "msPKI-Minimal-Key-Size"),
                        integer("1.2.840.113556.1.4.1434", "msPKI-Template-Schema-Version"),
                        integer("1.2.840.113556.1.4.1435", "msPKI-Template-Minor-Revision"),
                        string("1.2.840.113556.1.4.1436", "msPKI-Cert-Template-OID", true),
                        multi("1.2.840.113556.1.4.1437", "msPKI-Supersede-Templates"),
                        multi("1.2.840.113556.1.4.1674", "msPKI-Certificate-Application-Policy"),
                        binary("1.2.840.113556.1.2.281", "nTSecurityDescriptor"),
                        // the CA and enrollment service objects publish-ad writes (MS-ADA1, octet strings as in AD,
                        // replacing the standard schema's certificate syntaxes)
                        // userCertificate too (MS-ADA3: octet string): the standard schema's certificate syntax made
                        // the in-memory server compare every value of a user's entry as a case-ignored string on each modify
                        "( 2.5.4.36 NAME 'userCertificate' EQUALITY octetStringMatch SYNTAX " + OCTET_STRING
                                + " X-ORIGIN 'MS-ADA3' )",
                        "( 2.5.4.37 NAME 'cACertificate' EQUALITY octetStringMatch SYNTAX " + OCTET_STRING + " X-ORIGIN 'MS-ADA1' )",
                        "( 2.5.4.38 NAME 'authorityRevocationList' EQUALITY octetStringMatch SYNTAX " + OCTET_STRING
                                + " X-ORIGIN 'MS-ADA1' )",
                        binary("2.5.4.39", "certificateRevocationList"),
                        multi("1.2.840.113556.1.4.823", "certificateTemplates"),
                        string("1.2.840.113556.1.4.697", "cACertificateDN", true),
                        multi("1.2.840.113556.1.4.2076", "msPKI-Enrollment-Servers")),
                new Attribute("objectClasses",
                        "( 1.2.840.113556.1.5.9 NAME 'user' SUP top STRUCTURAL MUST cn MAY ( sAMAccountName $ "
                                + "userPrincipalName $ userAccountControl $ proxyAddresses $ memberOf $ mail $ "
                                + "userCertificate $ lockoutTime $ objectSid $ sn $ givenName $ displayName $ userPassword $ "
                                + "description $ accountExpires ) X-ORIGIN 'MS-ADSC' )",
                        // In AD a computer is a user (objectClass top, person, organizationalPerson, user, computer).
                        "( 1.2.840.113556.1.3.30 NAME 'computer' SUP user STRUCTURAL MAY dNSHostName X-ORIGIN 'MS-ADSC' )",
                        "( 1.2.840.113556.1.5.8 NAME 'group' SUP top STRUCTURAL MUST cn MAY ( sAMAccountName $ "
                                + "member $ memberOf $ groupType $ objectSid $ mail $ description ) X-ORIGIN 'MS-ADSC' )",
                        "( 1.2.840.113556.1.3.23 NAME 'container' SUP top STRUCTURAL MUST cn MAY description "
                                + "X-ORIGIN 'MS-ADSC' )",
                        "( 1.2.840.113556.1.5.177 NAME 'pKICertificateTemplate' SUP top STRUCTURAL MUST cn MAY ( "
                                + "displayName $ flags $ revision $ pKIKeyUsage $ pKIExpirationPeriod $ pKIOverlapPeriod $ "
                                + "pKIExtendedKeyUsage $ msPKI-RA-Signature $ msPKI-Enrollment-Flag $ msPKI-Private-Key-Flag $ "
                                + "msPKI-Certificate-Name-Flag $ msPKI-Minimal-Key-Size $ msPKI-Template-Schema-Version $ "
                                + "msPKI-Template-Minor-Revision $ msPKI-Cert-Template-OID $ msPKI-Supersede-Templates $ "
                                + "msPKI-Certificate-Application-Policy $ nTSecurityDescriptor ) X-ORIGIN 'MS-ADSC' )",
                        "( 1.2.840.113556.1.5.178 NAME 'pKIEnrollmentService' SUP top STRUCTURAL MUST cn MAY ( "
                                + "dNSHostName $ cACertificate $ cACertificateDN $ certificateTemplates $ msPKI-Enrollment-Servers $ "
                                + "flags ) X-ORIGIN 'MS-ADSC' )",
                        // an "88 class" in AD, structural here; the three lists are required as in AD
                        "( 2.5.6.16 NAME 'certificationAuthority' SUP top STRUCTURAL MUST ( cn $ cACertificate $ "
                                + "certificateRevocationList $ authorityRevocationList ) MAY ( dNSHostName $ cACertificateDN $ "
                                + "certificateTemplates ) X-ORIGIN 'MS-ADSC' )"));
        return Schema.mergeSchemas(Schema.getDefaultStandardSchema(), new Schema(ad));
    }

    private static String integer(String oid, String name) {
        return "( " + oid + " NAME '" + name + "' EQUALITY integerMatch SYNTAX " + INTEGER + " SINGLE-VALUE X-ORIGIN 'MS-ADA' )";
    }

    private static String binary(String oid, String name) {
        return "( " + oid + " NAME '" + name + "' EQUALITY octetStringMatch SYNTAX " + OCTET_STRING
                + " SINGLE-VALUE X-ORIGIN 'MS-ADA' )";
    }

    private static String multi(String oid, String name) {
        return "( " + oid + " NAME '" + name + "' EQUALITY caseIgnoreMatch SYNTAX " + DIRECTORY_STRING + " X-ORIGIN 'MS-ADA' )";
    }

    /** AD compares these strings ignoring case. */
    private static String string(String oid, String name, boolean singleValue) {
        return "( " + oid + " NAME '" + name + "' EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX "
                + DIRECTORY_STRING + (singleValue ? " SINGLE-VALUE" : "") + " X-ORIGIN 'MS-ADA' )";
    }
}
