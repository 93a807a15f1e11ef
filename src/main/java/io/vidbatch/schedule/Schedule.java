package io.vidbatch.schedule;

import jakarta.enterprise.concurrent.CronTrigger;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A named, recurring run of the transcode job.
 *
 * @param cron  Jakarta Concurrency cron: five fields (minute hour day month weekday) or six (seconds first)
 * @param job   the job's submission, as JSON (what POST /jobs takes), checked when the schedule was stored
 * @param watch true: the job's inputs are folders, and each run takes only the files no earlier run of
 *              this schedule took
 */
public record Schedule(String name, String cron, ZoneId zone, String job, boolean watch, boolean enabled) {

    public CronTrigger trigger() {
        return new CronTrigger(cron, zone);
    }

    /** When it fires next after {@code now}; empty when it is disabled. */
    public Optional<ZonedDateTime> nextFire(ZonedDateTime now) {
        return enabled ? Optional.ofNullable(trigger().getNextRunTime(null, now.withZoneSameInstant(zone))) : Optional.empty();
    }
}
