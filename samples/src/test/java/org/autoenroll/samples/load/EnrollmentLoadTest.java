package org.autoenroll.samples.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator works end to end; it times nothing (figures come from running it, see README.md). */
class EnrollmentLoadTest {

    @Test
    void run_tenRequests_allEnrollmentsAndBaselineRequestsSucceed(@TempDir Path dir) throws Exception {
        EnrollmentLoad.Report report = EnrollmentLoad.run(new EnrollmentLoad.Options(10, 2, 60, dir.resolve("demo")));

        assertEquals(10, report.enroll().sent(), report.format());
        assertEquals(10, report.enroll().succeeded(), report.format());
        assertEquals(10, report.baseline().succeeded(), report.format());
    }

    @Test
    void parse_maxSecondsBeyondTheSkewWindow_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> EnrollmentLoad.parse(new String[] {"--max-seconds", "600"}));
        assertThrows(IllegalArgumentException.class, () -> EnrollmentLoad.parse(new String[] {"--requests"}));
    }
}
