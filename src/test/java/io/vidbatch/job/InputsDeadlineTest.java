package io.vidbatch.job;

import io.vidbatch.config.Roots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Expanding a big tree ends when the job is stopped or its deadline passes, with the reason. */
class InputsDeadlineTest {

    static final int FILES = 2_000;

    @TempDir
    Path dir;

    Roots roots;

    @BeforeEach
    void bigTree() throws IOException {
        for (int d = 0; d < 20; d++) {
            Path sub = Files.createDirectories(dir.resolve("in/d" + d));
            for (int f = 0; f < FILES / 20; f++) {
                Files.writeString(sub.resolve("f" + f + ".mp4"), "");
            }
        }
        roots = new Roots(List.of(dir.resolve("in")), dir.resolve("out"));
    }

    /** A stop that comes after the expansion has asked {@code after} times whether to go on. */
    private static ExpansionDeadline stopAfter(int after, AtomicInteger asked) {
        return ExpansionDeadline.after(ExpansionDeadline.DEFAULT, () -> asked.incrementAndGet() > after);
    }

    @Test
    void untroubledTheTreeExpandsWhole() throws ExpansionDeadline.Passed {
        AtomicInteger asked = new AtomicInteger();
        assertThat(Inputs.expand(List.of("**.mp4"), roots, stopAfter(Integer.MAX_VALUE, asked)))
                .hasSize(FILES)
                .allSatisfy(c -> assertThat(c.accepted()).isTrue());
    }

    @Test
    void aStopEndsTheWalkOfABigTreeWithItsReason() {
        AtomicInteger asked = new AtomicInteger();
        assertThatThrownBy(() -> Inputs.expand(List.of("**.mp4"), roots, stopAfter(100, asked)))
                .isInstanceOf(ExpansionDeadline.Passed.class)
                .hasMessage("input expansion stopped: the job was stopped");
        // It stopped in the walk: it did not go on to meet every file.
        assertThat(asked.get()).isLessThan(FILES);
    }

    @Test
    void aStopEndsTheListingOfABigFolder() {
        AtomicInteger asked = new AtomicInteger();
        assertThatThrownBy(() -> Inputs.expand(List.of("d0"), roots, stopAfter(10, asked)))
                .isInstanceOf(ExpansionDeadline.Passed.class)
                .hasMessage("input expansion stopped: the job was stopped");
        assertThat(asked.get()).isLessThan(FILES / 20);
    }

    @Test
    void aPassedDeadlineEndsExpansionWithItsReason() {
        ExpansionDeadline over = ExpansionDeadline.after(Duration.ZERO);
        for (List<String> entries : List.of(List.of("**.mp4"), List.of("d0"), List.of("d0/f1.mp4"))) {
            assertThatThrownBy(() -> Inputs.expand(entries, roots, over))
                    .as("%s", entries)
                    .isInstanceOf(ExpansionDeadline.Passed.class)
                    .hasMessage("input expansion stopped: over its 0 s deadline");
        }
    }
}
