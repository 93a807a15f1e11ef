package io.vidbatch.store;

import javax.sql.DataSource;

/** A WorkStore over a test's datasource, for tests in other packages. */
public final class WorkStoreTestAccess {

    private WorkStoreTestAccess() {}

    public static WorkStore over(DataSource dataSource) {
        WorkStore store = new WorkStore();
        store.dataSource = dataSource;
        return store;
    }
}
