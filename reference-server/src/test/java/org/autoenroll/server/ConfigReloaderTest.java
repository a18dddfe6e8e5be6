package org.autoenroll.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A configuration replaced by a reload keeps its resources (LDAP pools) open while a request still
 * runs on it, and closes them once the last one is done; a server that stops closes them at once.
 */
class ConfigReloaderTest {

    @Test
    void replacedRuntime_closedOnlyAfterItsLastRequest() throws Exception {
        Resources resources = new Resources();
        CountDownLatch closed = new CountDownLatch(1);
        resources.register(closed::countDown);
        RuntimeSnapshot old = new RuntimeSnapshot(null, null, null, resources, null);
        ConfigReloader reloader = new ConfigReloader(new AtomicReference<>(old));
        old.enter();

        reloader.retire(old);

        assertFalse(closed.await(2500, TimeUnit.MILLISECONDS), "closed while a request still runs on it");
        old.exit();
        assertTrue(closed.await(5, TimeUnit.SECONDS), "not closed after its last request");
    }

    @Test
    void stop_closesReplacedRuntimesStillWaiting() {
        Resources resources = new Resources();
        AtomicBoolean closed = new AtomicBoolean();
        resources.register(() -> closed.set(true));
        RuntimeSnapshot old = new RuntimeSnapshot(null, null, null, resources, null);
        ConfigReloader reloader = new ConfigReloader(new AtomicReference<>(old));
        old.enter();
        reloader.retire(old);

        reloader.close();

        assertTrue(closed.get());
    }
}
