package io.vidbatch.worker;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerTest {

    @Test
    void nameIsTheGivenOneWithoutLookingUpTheHost() {
        assertThat(Worker.name(Map.of(Worker.NAME, "pod-7", "HOSTNAME", "ignored")))
                .isEqualTo("pod-7");
    }

    @Test
    void nameFallsBackToTheContainersHostName() {
        assertThat(Worker.name(Map.of("HOSTNAME", "6a7f6a57c8ea"))).isEqualTo("worker:6a7f6a57c8ea");
        assertThat(Worker.name(Map.of(Worker.NAME, " ", "HOSTNAME", "vb-12-3-abcde")))
                .isEqualTo("worker:vb-12-3-abcde");
    }

    @Test
    void nameWithoutHostNameStillHasOne() {
        assertThat(Worker.name(Map.of())).startsWith("worker:").hasSizeGreaterThan("worker:".length());
    }
}
