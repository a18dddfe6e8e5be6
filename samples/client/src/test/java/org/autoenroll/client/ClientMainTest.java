package org.autoenroll.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and the client codes' reports (code, name, the seed's message, hints) for failures found before any network. */
class ClientMainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ClientMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void usage_exit2() {
        assertEquals(2, run());
        assertEquals(2, run("install"));
        assertEquals(0, run("enroll", "--help"));
        assertEquals(2, run("enroll", "--server", "https://h"));
        assertTrue(err().contains("--server and --customer are required"), err());
    }

    @Test
    void storeCannotBeOpened_code31WithTheSeedsMessage() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        assertEquals(1, run("enroll", "--server", "https://localhost:1", "--customer", "demo", "--store", notADirectory.resolve("sub").toString()));
        assertTrue(err().contains("error 31 OPEN_LOCAL_STORE_FAILED: Open local certificate store error."), err());
        assertTrue(err().contains("hint: The client's certificate store library may not be distributed successfully."), err());
    }

    @Test
    void noTicketCache_code37NamesWhatToDo() {
        assertEquals(1, run("enroll", "--server", "https://localhost:1", "--customer", "demo", "--store", dir.resolve("s").toString(),
                "--ccache", dir.resolve("missing.ccache").toString()));
        assertTrue(err().contains("error 37 AUTHENTICATION_ERROR: Authentication error. (no ticket cache at "), err());
        assertTrue(err().contains("kinit"), err());
    }

    @Test
    void brokenTicketCache_code37() throws Exception {
        Path garbage = Files.write(dir.resolve("garbage.ccache"), new byte[] {5, 4, 0, 12, 1, 2, 3});
        assertEquals(1, run("enroll", "--server", "https://localhost:1", "--customer", "demo", "--store", dir.resolve("s").toString(),
                "--ccache", garbage.toString()));
        assertTrue(err().contains("error 37 AUTHENTICATION_ERROR"), err());
        assertFalse(err().contains("Exception\n\tat "), "no stack trace: " + err());
    }

    @Test
    void noKdcKnown_code35() {
        assertEquals(1, run("enroll", "--server", "https://localhost:1", "--customer", "demo", "--store", dir.resolve("s").toString(),
                "--user", "alice@EXAMPLE.COM", "--password", "pw", "--krb5-conf", dir.resolve("none.conf").toString()));
        assertTrue(err().contains("error 35 CONNECT_FAILED: Connect to certificate manager error. (no KDC known"), err());
    }
}
