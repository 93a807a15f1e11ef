package io.vidbatch.job.transcode;

import io.vidbatch.launch.LauncherKind;
import io.vidbatch.work.WorkItem;

import java.util.List;

/**
 * What the reader hands the processor: a group of items for one worker, and the launcher the
 * job was planned with. Carried along rather than looked up in the processor, whose chunk
 * transaction lasts as long as the encode: a connection it took would stay out of the pool
 * until then, and a step with as many partitions as the pool has connections would starve.
 */
public record WorkGroup(LauncherKind launcher, List<WorkItem> items) {}
