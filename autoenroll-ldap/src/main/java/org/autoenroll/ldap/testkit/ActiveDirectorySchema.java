package org.autoenroll.ldap.testkit;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.schema.Schema;

/**
 * The slice of the Active Directory schema (MS-ADA1/MS-ADSC) that autoenrollment reads, with AD's
 * own OIDs, merged over UnboundID's standard schema. {@code user} is structural under {@code top}
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
                                + " SINGLE-VALUE X-ORIGIN 'MS-ADA1' )"),
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
                                + "X-ORIGIN 'MS-ADSC' )"));
        return Schema.mergeSchemas(Schema.getDefaultStandardSchema(), new Schema(ad));
    }

    /** AD compares these strings ignoring case. */
    private static String string(String oid, String name, boolean singleValue) {
        return "( " + oid + " NAME '" + name + "' EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch SYNTAX "
                + DIRECTORY_STRING + (singleValue ? " SINGLE-VALUE" : "") + " X-ORIGIN 'MS-ADA' )";
    }
}
