package io.vidbatch.job;

import io.vidbatch.launch.WorkItem;
import io.vidbatch.launch.WorkResult;

/** A processed item on its way from the processor to the writer. */
public record Finished(WorkItem item, WorkResult result) {
}
