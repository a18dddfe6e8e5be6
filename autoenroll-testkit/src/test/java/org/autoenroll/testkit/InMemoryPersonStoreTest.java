package org.autoenroll.testkit;

import org.autoenroll.api.PersonStore;

class InMemoryPersonStoreTest extends PersonStoreContract {
    @Override
    protected PersonStore newStore() {
        return new InMemoryCertificateStore();
    }
}
