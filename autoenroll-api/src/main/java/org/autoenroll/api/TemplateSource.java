package org.autoenroll.api;

import java.util.List;

/**
 * Where certificate templates come from: the configuration file, or AD's own
 * {@code pKICertificateTemplate} objects. The policy sees one model whatever the source.
 * Implementations are thread-safe; {@link #templates()} may be called on every request, so a
 * source that reads a directory answers from a copy it refreshes on a schedule.
 *
 * @since 0.2
 */
public interface TemplateSource {
    /**
     * The templates known now. A template that cannot be read whole is left out (and logged by
     * the source), never half-read.
     *
     * @throws EnrollmentException {@link ErrorCode#AD_UNAVAILABLE} when a directory source has
     *     never been read
     */
    List<CertificateTemplate> templates() throws EnrollmentException;
}
