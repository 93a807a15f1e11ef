package io.vidbatch.media;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LadderTest {

    @Test
    void aBuiltInLadderByNameAndOwnRungsByText() {
        assertThat(Ladder.parse("h264-ladder").rungs()).hasSize(5);
        Ladder own = Ladder.parse(" 720:h264:23:3M, 360:hevc:28:700k ");
        assertThat(own.text()).isEqualTo("720:h264:23:3M,360:hevc:28:700k");
        assertThat(own.rungs().get(1).peakBits()).isEqualTo(700_000);
        assertThat(Ladder.parse(own.text()).rungs()).isEqualTo(own.rungs());
    }

    @Test
    void mistakesAreRefusedSayingWhatIsWrong() {
        assertThatThrownBy(() -> Ladder.parse("720:h264:23")).hasMessageContaining("lines:codec:crf:peak");
        assertThatThrownBy(() -> Ladder.parse("721:h264:23:3M")).hasMessageContaining("even");
        assertThatThrownBy(() -> Ladder.parse("720:vp8:23:3M")).hasMessageContaining("unknown codec 'vp8'");
        assertThatThrownBy(() -> Ladder.parse("720:h264:99:3M")).hasMessageContaining("crf");
        assertThatThrownBy(() -> Ladder.parse("720:h264:23:3G")).hasMessageContaining("peak");
        assertThatThrownBy(() -> Ladder.parse("720:h264:23:3M,720:h264:24:2M")).hasMessageContaining("two rungs");
        assertThatThrownBy(() -> Ladder.parse("x".repeat(10_000))).hasMessageContaining("...");
        assertThatThrownBy(() -> Ladder.parse(",".repeat(9))).hasMessageContaining("at most 8");
    }

    @Test
    void av1RungsTakeTheirOwnCrfRangeAndPlaceKeyframesByCount() {
        Ladder av1 = Ladder.parse("av1-ladder");
        assertThat(av1.rungs()).extracting(Ladder.Rung::family).containsOnly(Ladder.Family.AV1);
        assertThat(av1.keyframesByCount()).isTrue();
        assertThat(Ladder.parse("h264-ladder").keyframesByCount()).isFalse();
        assertThat(Ladder.parse("360:av1:63:600k,240:h264:26:500k").keyframesByCount())
                .isTrue();
        assertThatThrownBy(() -> Ladder.parse("360:h264:63:600k")).hasMessageContaining("from 0 to 51");
        assertThatThrownBy(() -> Ladder.parse("360:av1:64:600k")).hasMessageContaining("from 0 to 63");
    }

    @Test
    void anUprightSourceGetsRungsByItsWidthAndNothingAboveIt() {
        Ladder.Fit fit = Ladder.parse("h264-ladder").fit(720, 1280);
        assertThat(fit.kept()).extracting(Ladder.Fitted::width).containsExactly(720, 540, 360, 240);
        assertThat(fit.kept().get(0).height()).isEqualTo(1280);
        assertThat(fit.skipped()).singleElement().asString().startsWith("1080:h264:22:6M");
    }
}
