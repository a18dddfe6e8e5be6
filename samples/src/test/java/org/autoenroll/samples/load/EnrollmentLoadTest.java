package org.autoenroll.samples.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator works end to end; it times nothing (figures come from running it, see README.md). */
class EnrollmentLoadTest {

    @Test
    void run_tenRequests_allEnrollmentsAndBaselineRequestsSucceed(@TempDir Path dir) throws Exception {
        EnrollmentLoad.Report report = EnrollmentLoad.run(LoadOptions.defaults().with(10, 2, dir.resolve("load")));

        assertEquals(10, report.phase("enroll").sent(), report.format());
        assertEquals(10, report.phase("enroll").succeeded(), report.format());
        assertEquals(10, report.baseline().succeeded(), report.format());
        // the server ran in a process of its own and its CPU time was read from /proc
        assertTrue(report.phase("enroll").serverCpuMillis() > 0, report.format());
    }

    @Test
    void run_withHoldingsAndEveryOperation_measuresEachForBothUsers(@TempDir Path dir) throws Exception {
        LoadOptions options = new LoadOptions(6, 2, 30, dir.resolve("load"), "RSA_2048", null, 200,
                List.of("enroll", "status", "requirements", "renew"), List.of(), null, -1);

        EnrollmentLoad.Report report = EnrollmentLoad.run(options);

        assertEquals(8, report.phases().size(), report.format());
        assertTrue(report.allSucceeded(), report.format());
        assertEquals(6, report.phase("renew (200 held)").succeeded(), report.format());
    }

    @Test
    void parse_maxSecondsBeyondTheSkewWindow_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {"--max-seconds", "600"}));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {"--requests"}));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {"--ca-key", "DSA"}));
        assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.parse(new String[] {"--holdings", "5", "--max-seconds", "60", "--operations",
                        "enroll,renew"}));
    }
}
