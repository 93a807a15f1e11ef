package io.vidbatch.job.transcode;

import io.vidbatch.store.WorkStore.Pending;
import jakarta.batch.api.partition.PartitionPlan;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** How the transcode step's pending items are spread over its partitions. */
class WorkItemMapperTest {

    @Test
    void onePartitionPerWorkerButNoMoreThanThereAreItemsAndNeverNone() {
        assertThat(WorkItemMapper.partitions(4, 10)).isEqualTo(4);
        assertThat(WorkItemMapper.partitions(4, 2))
                .as("two items, four workers")
                .isEqualTo(2);
        assertThat(WorkItemMapper.partitions(4, 0))
                .as("a restart with nothing left pending")
                .isEqualTo(1);
    }

    @Test
    void longestFirstOntoTheLeastLoadedPartitionSoPartitionsFinishTogether() {
        // Longest first, as the store gives them: 60 s, 40 s, 30 s, 20 s, 10 s over two partitions.
        List<Pending> pending = List.of(
                new Pending(3, 60), new Pending(1, 40), new Pending(5, 30), new Pending(2, 20), new Pending(4, 10));
        Map<Integer, Integer> assignment = WorkItemMapper.assign(pending, 2);
        // 60 | 40 -> 60 | 70 (30 to the lighter) -> 80 (20) | 70 -> 80 | 80 (10).
        assertThat(assignment).containsOnly(entry(3, 0), entry(1, 1), entry(5, 1), entry(2, 0), entry(4, 1));
    }

    @Test
    void itemsOfNoKnownLengthStillTakeTurnsRatherThanPilingOntoOnePartition() {
        // Zero seconds (an audio part not yet probed, say) counts as a little, so the next item moves on.
        List<Pending> pending = List.of(new Pending(1, 0), new Pending(2, 0), new Pending(3, 0));
        assertThat(WorkItemMapper.assign(pending, 3)).containsOnly(entry(1, 0), entry(2, 1), entry(3, 2));
    }

    @Test
    void everyPendingItemIsAssignedOnceToAPartitionOfThePlan() {
        List<Pending> pending = List.of(
                new Pending(7, 5), new Pending(8, 5), new Pending(9, 5), new Pending(10, 5), new Pending(11, 5));
        Map<Integer, Integer> assignment = WorkItemMapper.assign(pending, 3);
        assertThat(assignment).containsOnlyKeys(7, 8, 9, 10, 11);
        assertThat(assignment.values()).allMatch(p -> p >= 0 && p < 3);
        assertThat(assignment.values().stream().filter(p -> p == 0))
                .as("equal items spread evenly")
                .hasSize(2);
    }

    @Test
    void thePlanNamesEachPartitionAndReplacesThePreviousOne() {
        PartitionPlan plan = WorkItemMapper.plan(3);
        assertThat(plan.getPartitions()).isEqualTo(3);
        assertThat(plan.getThreads()).as("every partition runs at once").isEqualTo(3);
        assertThat(plan.getPartitionsOverride())
                .as("a restart plans over what is still pending")
                .isTrue();
        assertThat(plan.getPartitionProperties())
                .extracting(p -> p.getProperty("partition"))
                .containsExactly("0", "1", "2");
    }

    @Test
    void aRestartMayChangeTheNumberOfWorkersWithinTheLimit() {
        assertThat(WorkItemMapper.workers(4, null, 8)).as("no override").isEqualTo(4);
        assertThat(WorkItemMapper.workers(4, "  ", 8)).as("blank override").isEqualTo(4);
        assertThat(WorkItemMapper.workers(4, " 6 ", 8)).isEqualTo(6);
        assertThatThrownBy(() -> WorkItemMapper.workers(4, "9", 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid restart parameter: workers: '9' must be between 1 and 8");
        assertThatThrownBy(() -> WorkItemMapper.workers(4, "two", 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid restart parameter: workers: 'two' is not a whole number");
    }
}
