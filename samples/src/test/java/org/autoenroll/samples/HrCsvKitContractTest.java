package org.autoenroll.samples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.autoenroll.api.DirectoryLookup;
import org.autoenroll.api.DirectoryRef;
import org.autoenroll.testkit.DirectoryLookupContract;

/** An integrator proving a directory that is not LDAP with the test kit: the HR CSV export. */
class HrCsvKitContractTest extends DirectoryLookupContract {
    @Override
    protected DirectoryRef directory() {
        return new DirectoryRef("hr", REALM);
    }

    @Override
    protected DirectoryLookup createLookup(List<Account> accounts) throws Exception {
        List<String> lines = new ArrayList<>(List.of("principal,cn,mail,upn,status"));
        for (Account a : accounts) {
            lines.add(a.sam() + "@" + REALM + "," + a.commonName() + "," + a.mail() + "," + a.userPrincipalName() + ","
                    + (a.disabled() ? "leave" : "active"));
        }
        Path csv = Files.createTempFile("hr-export", ".csv");
        Files.write(csv, lines);
        return HrCsvDirectoryLookup.read(csv);
    }
}
