package io.vidbatch.store;

/**
 * The effective settings of a job instance, stored when it is planned so that a restart runs
 * with what the job was planned with, even when restarted without parameters.
 */
public record JobSettings(
        String preset,
        String operations,
        double segmentSeconds,
        int workers,
        String outputDir,
        String launcher,
        int groupSize,
        boolean dryRun,
        String plannedAt,
        String audio,
        String ladder,
        Double minQuality,
        Boolean quality,
        String webhooks) {}
