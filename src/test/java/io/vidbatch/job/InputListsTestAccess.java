package io.vidbatch.job;

import io.vidbatch.store.WorkStoreTestAccess;

import javax.sql.DataSource;

/** InputLists over a test's datasource, for tests in other packages. */
public final class InputListsTestAccess {

    private InputListsTestAccess() {}

    public static InputLists over(DataSource dataSource) {
        InputLists lists = new InputLists();
        lists.dataSource = dataSource;
        lists.store = WorkStoreTestAccess.over(dataSource);
        return lists;
    }
}
