package io.vidbatch.work;

/** A sample work item for tests in other packages. */
public final class WorkJsonTestAccess {
    public static final WorkItem ITEM = WorkJsonTest.ITEM;

    private WorkJsonTestAccess() {}
}
