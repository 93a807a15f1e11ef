package io.vidbatch.launch.kubernetes;

import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How long a Job has had no pod: what the launcher's no-pod deadline is measured with. */
class PodlessClockTest {

    static final OffsetDateTime CREATED = OffsetDateTime.parse("2026-11-29T12:00:00Z");
    static final V1Job JOB =
            new V1Job().metadata(new V1ObjectMeta().name("vb-7-3").creationTimestamp(CREATED));
    static final V1Pod POD = new V1Pod().metadata(new V1ObjectMeta().name("vb-7-3-abcde"));

    @Test
    void aJobWhosePodIsNeverCreatedIsPodlessSinceItWasCreated() {
        PodlessClock clock = new PodlessClock();
        // Adopted after a coordinator restart: the time before this launcher looked counts too.
        assertThat(clock.podless(JOB, List.of(), CREATED.plusSeconds(400))).isEqualTo(Duration.ofSeconds(400));
    }

    @Test
    void aJobWithAPodIsNotPodless() {
        assertThat(new PodlessClock().podless(JOB, List.of(POD), CREATED.plusSeconds(400)))
                .isZero();
    }

    @Test
    void aReplacementThatCannotBeCreatedCountsFromWhenTheLastPodWasSeen() {
        PodlessClock clock = new PodlessClock();
        clock.podless(JOB, List.of(POD), CREATED.plusSeconds(300));
        // The pod was evicted and the quota is full now: the Job is old, its podlessness is not.
        assertThat(clock.podless(JOB, List.of(), CREATED.plusSeconds(310))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aJobNotInTheCacheIsNotJudged() {
        assertThat(new PodlessClock().podless(null, List.of(), CREATED.plusSeconds(400)))
                .isZero();
    }
}
