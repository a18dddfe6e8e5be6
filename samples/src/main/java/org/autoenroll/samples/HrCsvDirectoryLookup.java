package org.autoenroll.samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.autoenroll.api.AuthenticatedPrincipal;
import org.autoenroll.api.DirectoryEntry;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.api.EnrollmentException;
import org.autoenroll.api.ErrorCode;
import org.autoenroll.api.ExtensionCode;

/**
 * A directory that is not LDAP: an HR system's CSV export, one employee a line,
 * {@code principal,cn,mail,upn,status} with status {@code active}, {@code leave} or
 * {@code terminated} (a header line starting with {@code principal} is skipped; no quoting).
 * Terminated or unknown employees are {@link ErrorCode#NO_VALID_USER_IN_AD} (17); an employee on
 * leave is refused with this backend's own code {@link #EMPLOYEE_ON_LEAVE} (1001), which refines
 * {@link ErrorCode#ACCOUNT_DISABLED} (45). Immutable and thread-safe.
 */
public final class HrCsvDirectoryLookup implements DirectoryLookup {
    /** This backend's own error code, from the integrators' range. */
    public static final ExtensionCode EMPLOYEE_ON_LEAVE = ExtensionCode.of(1001, "EMPLOYEE_ON_LEAVE", "Employee on leave..",
            ErrorCode.ACCOUNT_DISABLED, "HR records the employee as on leave; enrollment resumes when they return.");

    private record Employee(DirectoryEntry entry, String status) {
    }

    private final Map<String, Employee> byPrincipal;

    private HrCsvDirectoryLookup(Map<String, Employee> byPrincipal) {
        this.byPrincipal = Map.copyOf(byPrincipal);
    }

    /** @throws IllegalArgumentException naming the first malformed line */
    public static HrCsvDirectoryLookup read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        Map<String, Employee> employees = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || (i == 0 && line.startsWith("principal,"))) {
                continue;
            }
            String[] f = line.split(",", -1);
            String status = f.length == 5 ? f[4].strip().toLowerCase(Locale.ROOT) : "";
            if (!List.of("active", "leave", "terminated").contains(status) || !f[0].contains("@")) {
                throw new IllegalArgumentException(csv + " line " + (i + 1)
                        + ": expected principal,cn,mail,upn,active|leave|terminated");
            }
            String principal = f[0].strip();
            String account = principal.substring(0, principal.indexOf('@'));
            DirectoryEntry entry = DirectoryEntry.builder("hr:" + principal, account).commonName(f[1].strip())
                    .mail(f[2].strip()).userPrincipalName(f[3].strip()).build();
            if (employees.put(principal, new Employee(entry, status)) != null) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + ": " + principal + " appears twice");
            }
        }
        return new HrCsvDirectoryLookup(employees);
    }

    @Override
    public DirectoryEntry findUser(DirectoryRef directory, AuthenticatedPrincipal principal) throws EnrollmentException {
        Employee employee = byPrincipal.get(principal.principal());
        if (employee == null || employee.status().equals("terminated")) {
            throw new EnrollmentException(ErrorCode.NO_VALID_USER_IN_AD, "no current employee has this principal");
        }
        if (employee.status().equals("leave")) {
            throw new EnrollmentException(EMPLOYEE_ON_LEAVE, "the employee is on leave");
        }
        return employee.entry();
    }
}
