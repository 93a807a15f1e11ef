package io.vidbatch.job;

import io.vidbatch.media.Expected;
import io.vidbatch.media.MediaInfo;
import io.vidbatch.media.Operation;

import java.util.List;

/** Lets media tests compute expectations the way the planner does. */
public final class PlannerAccess {
    private PlannerAccess() {}

    /** As the planner computes it, measuring the longest frame gap for a variable frame rate. */
    public static Expected expected(java.nio.file.Path source, MediaInfo info, List<Operation> ops) throws Exception {
        double longest = info.video().variableFrameRate()
                ? new io.vidbatch.media.Prober(io.vidbatch.media.Tools.onPath())
                        .packets(source)
                        .longestFrameInterval()
                : 0;
        return Planner.expected(
                info,
                ops,
                longest,
                io.vidbatch.media.StreamPlan.of(
                        info, io.vidbatch.media.StreamPlan.ALL, io.vidbatch.media.Preset.H264_720P),
                io.vidbatch.media.Preset.H264_720P);
    }
}
