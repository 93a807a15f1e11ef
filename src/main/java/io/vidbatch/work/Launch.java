package io.vidbatch.work;

import io.vidbatch.media.Progress;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What one launch gets from the batch step running it.
 *
 * @param execution     the job execution (a restarted coordinator has a new one)
 * @param partition     the partition the group belongs to
 * @param progress      receives each item's progress while it runs
 * @param stopRequested true once the job is being stopped; asked about twice a second
 * @param log           receives the worker's log lines, for the partition's job log
 */
public record Launch(
        long execution, int partition, ItemProgress progress, BooleanSupplier stopRequested, Consumer<String> log) {

    /** Progress of the item with this number. */
    @FunctionalInterface
    public interface ItemProgress {
        void update(int item, Progress progress);
    }
}
