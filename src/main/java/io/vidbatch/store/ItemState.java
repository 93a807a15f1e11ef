package io.vidbatch.store;

/** Where a work item stands, as VB_ITEM keeps it. */
public enum ItemState {
    /** To be run (again, after a stop or a failed execution). */
    PENDING,
    DONE,
    FAILED,
    /** A segmented input's whole-file item: runs only if a segment cannot be encoded on its own. */
    STANDBY,
    /** Work that was pending when its input went over to the whole-file item: not run. */
    SUPERSEDED;

    /** Work a user sees in the job: not a standby that never ran, not superseded. */
    public boolean counts() {
        return this != STANDBY && this != SUPERSEDED;
    }
}
