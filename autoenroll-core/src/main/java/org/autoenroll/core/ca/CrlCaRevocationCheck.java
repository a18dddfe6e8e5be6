package org.autoenroll.core.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a CA certificate against its issuer's CRL, fetched over HTTP from the certificate's CRL
 * distribution points and kept until its nextUpdate (at most {@code maxCacheAge}). The CRL must be
 * signed by {@code issuer}. No distribution point, an unreachable or unparsable CRL, or a CRL
 * signed by another key: not revoked, logged (seed 002: such revocation errors are ignored).
 * Bounded: {@value #MAX_CRL_BYTES} bytes per CRL, a timeout per fetch. Thread-safe.
 */
public final class CrlCaRevocationCheck implements CaRevocationCheck {
    private static final Logger LOG = LoggerFactory.getLogger(CrlCaRevocationCheck.class);
    static final int MAX_CRL_BYTES = 8 * 1024 * 1024;

    private final X509Certificate issuer;
    private final HttpClient http;
    private final Duration timeout;
    private final Duration maxCacheAge;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(X509CRL crl, Instant fetched) {
    }

    public CrlCaRevocationCheck(X509Certificate issuer, Duration timeout, Duration maxCacheAge, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.maxCacheAge = Objects.requireNonNull(maxCacheAge, "maxCacheAge");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public boolean isRevoked(X509Certificate caCertificate) {
        for (String url : crlUrls(caCertificate)) {
            X509CRL crl = crl(url);
            if (crl != null) {
                return crl.isRevoked(caCertificate);
            }
        }
        return false;
    }

    private X509CRL crl(String url) {
        Instant now = clock.instant();
        Cached cached = cache.get(url);
        if (cached != null && now.isBefore(cached.fetched().plus(maxCacheAge))
                && (cached.crl().getNextUpdate() == null || now.isBefore(cached.crl().getNextUpdate().toInstant()))) {
            return cached.crl();
        }
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_CRL_BYTES + 1);
            }
            if (response.statusCode() != 200 || body.length > MAX_CRL_BYTES) {
                LOG.warn("CRL {} not usable (HTTP {}, {} bytes): revocation of the CA not checked", url, response.statusCode(),
                        body.length);
                return null;
            }
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(body));
            crl.verify(issuer.getPublicKey());
            cache.put(url, new Cached(crl, now));
            return crl;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (IOException | RuntimeException | java.security.GeneralSecurityException e) {
            LOG.warn("CRL {} not usable ({}): revocation of the CA not checked", url, e.toString());
            return null;
        }
    }

    /** The http(s) URIs of the certificate's CRL distribution points. */
    static List<String> crlUrls(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        List<String> urls = new ArrayList<>();
        if (value == null) {
            return urls;
        }
        try {
            CRLDistPoint points = CRLDistPoint.getInstance(ASN1OctetString.getInstance(value).getOctets());
            for (DistributionPoint point : points.getDistributionPoints()) {
                DistributionPointName name = point.getDistributionPoint();
                if (name == null || name.getType() != DistributionPointName.FULL_NAME) {
                    continue;
                }
                for (GeneralName general : GeneralNames.getInstance(name.getName()).getNames()) {
                    if (general.getTagNo() == GeneralName.uniformResourceIdentifier) {
                        String uri = general.getName().toString();
                        if (uri.startsWith("http://") || uri.startsWith("https://")) {
                            urls.add(uri);
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("the CRL distribution points of {} cannot be read", certificate.getSubjectX500Principal());
        }
        return urls;
    }
}
