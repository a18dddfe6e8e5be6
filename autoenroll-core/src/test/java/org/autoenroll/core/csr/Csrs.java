package org.autoenroll.core.csr;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Builds PKCS#10 requests for tests, as clients (certreq, openssl) do. */
public final class Csrs {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static KeyPair rsa2048;

    private final KeyPair keyPair;
    private String subject = "CN=Alice Example";
    private String signatureAlgorithm;
    private final List<GeneralName> altNames = new ArrayList<>();

    private Csrs(KeyPair keyPair, String signatureAlgorithm) {
        this.keyPair = keyPair;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** An RSA-2048 key, generated once per JVM: key generation is the slow part. */
    public static synchronized Csrs rsa2048() {
        if (rsa2048 == null) {
            rsa2048 = rsa(2048);
        }
        return new Csrs(rsa2048, "SHA256withRSA");
    }

    public static Csrs rsa(int bits, String signatureAlgorithm) {
        return new Csrs(rsa(bits), signatureAlgorithm);
    }

    /** A request for a key pair of the test's own making. */
    public static Csrs with(KeyPair keyPair, String signatureAlgorithm) {
        return new Csrs(keyPair, signatureAlgorithm);
    }

    public static Csrs ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
            generator.initialize(new ECGenParameterSpec(curve));
            return new Csrs(generator.generateKeyPair(), "SHA256withECDSA");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", BC);
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public Csrs subject(String dn) {
        subject = dn;
        return this;
    }

    public Csrs email(String address) {
        altNames.add(new GeneralName(GeneralName.rfc822Name, address));
        return this;
    }

    public Csrs dns(String name) {
        altNames.add(new GeneralName(GeneralName.dNSName, name));
        return this;
    }

    public Csrs upn(String upn) {
        altNames.add(new GeneralName(GeneralName.otherName, new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
            new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"), new DERTaggedObject(true, 0, new DERUTF8String(upn))})));
        return this;
    }

    public KeyPair keyPair() {
        return keyPair;
    }

    public PKCS10CertificationRequest build() {
        try {
            PKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject),
                    keyPair.getPublic());
            if (!altNames.isEmpty()) {
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                extensions.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(altNames.toArray(GeneralName[]::new)));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            return builder.build(new JcaContentSignerBuilder(signatureAlgorithm).setProvider(BC).build(keyPair.getPrivate()));
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    public String pem() {
        return pem(build());
    }

    public static String pem(PKCS10CertificationRequest csr) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(csr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
