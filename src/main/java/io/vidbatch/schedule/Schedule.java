package io.vidbatch.schedule;

import jakarta.enterprise.concurrent.CronTrigger;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A named, recurring run of the transcode job.
 *
 * @param cron    Jakarta Concurrency cron: five fields (minute hour day month weekday) or six (seconds first)
 * @param job     the job's submission, as JSON (what POST /jobs takes), checked when the schedule was stored
 * @param watch   true: the job's inputs are folders, and each run takes only the files no earlier run of
 *                this schedule took
 * @param enabled false: the coordinator never fires it by itself; it runs only when asked (POST .../runs)
 * @param grace   how late a firing missed while the server was down may still run, at start-up
 * @param savedAt when it was last saved: no firing before that is owed
 */
public record Schedule(
        String name,
        String cron,
        ZoneId zone,
        String job,
        boolean watch,
        boolean enabled,
        Duration grace,
        Instant savedAt) {

    /** Firings owed further back than this are not counted one by one (a per-second cron down for a year). */
    static final Duration LOOK_BACK = Duration.ofDays(7);

    public CronTrigger trigger() {
        return new CronTrigger(cron, zone);
    }

    /** When it fires next after {@code now}; empty when it is disabled. */
    public Optional<ZonedDateTime> nextFire(ZonedDateTime now) {
        return enabled
                ? Optional.ofNullable(trigger().getNextRunTime(null, now.withZoneSameInstant(zone)))
                : Optional.empty();
    }

    /** Firings that fell due after {@code since} and by {@code now}, none of which ran: the server was down. */
    public record Missed(int count, Instant first, Instant last, boolean countedFromLookBack) {

        /** True when the latest of them is still recent enough to run now. */
        public boolean withinGrace(Duration grace, Instant now) {
            return Duration.between(last, now).compareTo(grace) <= 0;
        }
    }

    /** The firings due in (since, now]: empty when none fell due. */
    public Optional<Missed> missed(Instant since, Instant now) {
        Instant from = since.isBefore(now.minus(LOOK_BACK)) ? now.minus(LOOK_BACK) : since;
        CronTrigger trigger = trigger();
        ZonedDateTime end = now.atZone(zone);
        ZonedDateTime first = null;
        ZonedDateTime last = null;
        int count = 0;
        // The trigger's next time is the first at or after the time given: one nanosecond on excludes it.
        for (ZonedDateTime at = trigger.getNextRunTime(null, from.atZone(zone).plusNanos(1));
                at != null && !at.isAfter(end);
                at = trigger.getNextRunTime(null, at.plusNanos(1))) {
            first = first == null ? at : first;
            last = at;
            count++;
        }
        return first == null
                ? Optional.empty()
                : Optional.of(new Missed(count, first.toInstant(), last.toInstant(), !from.equals(since)));
    }
}
