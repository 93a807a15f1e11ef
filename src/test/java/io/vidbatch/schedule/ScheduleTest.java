package io.vidbatch.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/** Which firings a server that was down owes, told with a fixed clock. */
class ScheduleTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static Schedule nightly(String cron) {
        return new Schedule("nightly", cron, PARIS, "{}", false, true, Duration.ofHours(1), Instant.EPOCH);
    }

    private static Instant paris(String local) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(local), PARIS).toInstant();
    }

    @Test
    void aServerDownOverTheNightlyFiringOwesThatOneFiring() {
        Schedule.Missed missed = nightly("0 2 * * *")
                .missed(paris("2026-11-28T23:00"), paris("2026-11-29T02:40"))
                .orElseThrow();
        assertThat(missed.count()).isEqualTo(1);
        assertThat(missed.last()).isEqualTo(paris("2026-11-29T02:00"));
        assertThat(missed.withinGrace(Duration.ofHours(1), paris("2026-11-29T02:40")))
                .isTrue();
        assertThat(missed.withinGrace(Duration.ofMinutes(30), paris("2026-11-29T02:40")))
                .isFalse();
    }

    @Test
    void nothingIsOwedWhenNoFiringFellDue() {
        assertThat(nightly("0 2 * * *").missed(paris("2026-11-29T02:00"), paris("2026-11-30T01:59")))
                .isEmpty();
    }

    @Test
    void aFiringAtTheVeryInstantOfTheLastRunIsNotOwedTwice() {
        // The last run was recorded at its due time; a start-up right after owes nothing.
        assertThat(nightly("0 2 * * *").missed(paris("2026-11-29T02:00"), paris("2026-11-29T02:00:30")))
                .isEmpty();
    }

    @Test
    void aLongOutageCountsEveryFiringAndKeepsTheLatest() {
        Schedule.Missed missed = nightly("0 2 * * *")
                .missed(paris("2026-11-25T12:00"), paris("2026-11-29T09:00"))
                .orElseThrow();
        assertThat(missed.count()).isEqualTo(4);
        assertThat(missed.first()).isEqualTo(paris("2026-11-26T02:00"));
        assertThat(missed.last()).isEqualTo(paris("2026-11-29T02:00"));
        assertThat(missed.countedFromLookBack()).isFalse();
    }

    @Test
    void aPerSecondCronDownForAMonthIsCountedOverTheLastWeekOnly() {
        Instant now = paris("2026-11-29T09:00");
        Schedule.Missed missed = nightly("* * * * * *")
                .missed(now.minus(Duration.ofDays(30)), now)
                .orElseThrow();
        assertThat(missed.countedFromLookBack()).isTrue();
        assertThat(missed.count()).isEqualTo((int) Schedule.LOOK_BACK.toSeconds());
        assertThat(missed.last()).isEqualTo(now);
    }

    @Test
    void theZoneDecidesWhenLocalTimeFallsDue() {
        // 02:30 does not exist in Paris on 29 March 2026 (clocks jump from 02:00 to 03:00).
        Schedule.Missed missed = nightly("30 2 * * *")
                .missed(paris("2026-03-28T12:00"), paris("2026-03-29T12:00"))
                .orElse(null);
        Schedule.Missed dayAfter = nightly("30 2 * * *")
                .missed(paris("2026-03-29T12:00"), paris("2026-03-30T12:00"))
                .orElseThrow();
        assertThat(dayAfter.last()).isEqualTo(paris("2026-03-30T02:30"));
        assertThat(missed == null || missed.count() == 1)
                .as("at most one firing on the day of the jump: " + missed)
                .isTrue();
    }
}
