package io.vidbatch.job.transcode;

import jakarta.batch.runtime.context.StepContext;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The counts a partition reports to the coordinator, and the running sum the coordinator keeps. */
class PartitionTallyTest {

    @Test
    void countsDoneAndFailedItemsWithTheirSecondsAndFrames() {
        PartitionTally t = new PartitionTally();
        assertThat(t.isEmpty()).isTrue();
        t.done(10, 4, 300);
        t.done(5, 2, 150);
        t.failed(7);
        assertThat(t.isEmpty()).isFalse();
        assertThat(t.done).isEqualTo(2);
        assertThat(t.failed).isEqualTo(1);
        assertThat(t.mediaSeconds).as("a failed item's media counts too").isEqualTo(22);
        assertThat(t.encodeSeconds).as("encode time of done items only").isEqualTo(6);
        assertThat(t.frames).isEqualTo(450);
    }

    @Test
    void aFailureAloneIsSomethingToReport() {
        PartitionTally t = new PartitionTally();
        t.failed(0);
        assertThat(t.isEmpty()).isFalse();
    }

    @Test
    void drainingHandsOverWhatWasCountedAndStartsAgainFromZero() {
        PartitionTally t = new PartitionTally();
        t.done(10, 4, 300);
        t.failed(3);
        PartitionTally sent = t.drain();
        assertThat(sent.done).isEqualTo(1);
        assertThat(sent.failed).isEqualTo(1);
        assertThat(sent.mediaSeconds).isEqualTo(13);
        assertThat(sent.encodeSeconds).isEqualTo(4);
        assertThat(sent.frames).isEqualTo(300);
        assertThat(t.isEmpty()).isTrue();
        assertThat(t.drain()).as("nothing counted twice").satisfies(again -> {
            assertThat(again.isEmpty()).isTrue();
            assertThat(again.mediaSeconds).isZero();
            assertThat(again.encodeSeconds).isZero();
            assertThat(again.frames).isZero();
        });
    }

    @Test
    void theCoordinatorSumsWhatEachPartitionReportsAndKeepsItsTotal() {
        PartitionTally sum = new PartitionTally();
        sum.total = 5;
        PartitionTally a = new PartitionTally();
        a.done(10, 4, 300);
        PartitionTally b = new PartitionTally();
        b.done(5, 1, 100);
        b.failed(2);
        sum.add(a.drain());
        sum.add(b.drain());
        assertThat(sum.total).isEqualTo(5);
        assertThat(sum.done).isEqualTo(2);
        assertThat(sum.failed).isEqualTo(1);
        assertThat(sum.mediaSeconds).isEqualTo(17);
        assertThat(sum.encodeSeconds).isEqualTo(5);
        assertThat(sum.frames).isEqualTo(400);
    }

    @Test
    void oneTallyPerStepThreadKeptInItsStepContext() {
        StepContext step = stepContext();
        PartitionTally first = PartitionTally.of(step);
        first.done(1, 1, 1);
        assertThat(PartitionTally.of(step)).as("the same step thread").isSameAs(first);
        assertThat(PartitionTally.of(stepContext())).as("another step thread").isNotSameAs(first);
    }

    /** A StepContext holding only its transient user data, which is all a tally uses. */
    private static StepContext stepContext() {
        AtomicReference<Object> data = new AtomicReference<>();
        return (StepContext) Proxy.newProxyInstance(
                StepContext.class.getClassLoader(),
                new Class<?>[] {StepContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getTransientUserData" -> data.get();
                    case "setTransientUserData" -> {
                        data.set(args[0]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
