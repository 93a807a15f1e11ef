package io.vidbatch.job;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What Liberty's job repository can keep of a reason: 512 characters. */
class ExitStatusTest {

    @Test
    void aReasonThatFitsIsKeptAsItIs() {
        String reason = "no worker: pod vb-7-12-x2k4p has not started for 300 s: ImagePullBackOff";
        assertThat(ExitStatus.of(reason)).isEqualTo(reason);
        assertThat(ExitStatus.of(null)).isNull();
        assertThat(ExitStatus.of("x".repeat(512))).hasSize(512);
    }

    @Test
    void aLongerOneIsCutToTheColumnWithAnEllipsis() {
        String node = "n".repeat(253);
        String reason = "no worker: pod vb-7-12-x2k4p on node " + node
                + " is still terminating 6 s after its grace period ended; " + "kubectl delete node " + node;
        assertThat(ExitStatus.of(reason))
                .hasSize(512)
                .startsWith("no worker: pod vb-7-12-x2k4p on node nnn")
                .endsWith("…");
    }

    @Test
    void aCharacterOutsideTheBasicPlaneIsNeverCutInHalf() {
        String reason = "x".repeat(510) + "😀😀";
        String kept = ExitStatus.of(reason);
        assertThat(kept).endsWith("x…").hasSizeLessThanOrEqualTo(512);
        assertThat(kept.codePoints().allMatch(Character::isValidCodePoint)).isTrue();
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 2))).isFalse();
    }
}
