package io.vidbatch.media;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperationsTest {

    @Test
    void parsesEveryOperationWithItsParameters() {
        List<Operation> ops =
                Operations.parse("scale(height=720); fps(rate=30000/1001); crop(width=640,height=360,x=10,y=20);"
                        + " deinterlace; denoise(strength=light); watermark(text=\"ACME; (c) \\\"2026\\\"\", position=top-left, size=30);"
                        + " loudness(target=-16); thumbnail(at=50%, width=160)");
        assertThat(ops)
                .containsExactly(
                        new Operation.Scale(null, 720),
                        new Operation.Fps(30000, 1001),
                        new Operation.Crop(640, 360, 10, 20),
                        new Operation.Deinterlace(false),
                        new Operation.Denoise("light"),
                        new Operation.Watermark("ACME; (c) \"2026\"", "top-left", 30),
                        new Operation.Loudness(-16),
                        new Operation.Thumbnail(50, true, 160));
    }

    @Test
    void formattedListParsesBackToTheSameOperations() {
        List<Operation> ops =
                Operations.parse("watermark(text=\"a\\\\b \\\"c\\\"\"); scale(width=1280); thumbnail(at=3)");
        assertThat(Operations.parse(Operations.format(ops))).isEqualTo(ops);
    }

    @Test
    void emptyMeansNoOperations() {
        assertThat(Operations.parse(null)).isEmpty();
        assertThat(Operations.parse("  ")).isEmpty();
    }

    @Test
    void unknownOperationIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> Operations.parse("scale(height=720); sharpen"))
                .hasMessage("unknown operation 'sharpen' (known: " + Operations.NAMES + ")");
    }

    @Test
    void badParametersSayWhichAndWhy() {
        assertThatThrownBy(() -> Operations.parse("scale(height=721)")).hasMessageContaining("height 721 must be even");
        assertThatThrownBy(() -> Operations.parse("scale(height=99999)")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Operations.parse("scale()")).hasMessage("scale: needs width, height or both");
        assertThatThrownBy(() -> Operations.parse("fps(rate=0)")).hasMessageContaining("between 1 and 240");
        assertThatThrownBy(() -> Operations.parse("fps(rate=abc)")).hasMessageContaining("rate 'abc'");
        assertThatThrownBy(() -> Operations.parse("crop(width=100)")).hasMessage("crop: missing parameter 'height'");
        assertThatThrownBy(() -> Operations.parse("scale(hieght=720)"))
                .hasMessageContaining("unknown parameter 'hieght'");
        assertThatThrownBy(() -> Operations.parse("watermark(text=\"\u0007\")"))
                .hasMessageContaining("control characters");
        assertThatThrownBy(() -> Operations.parse("fps(rate=25); fps(rate=30)")).hasMessage("fps may be given once");
        assertThatThrownBy(() -> Operations.parse("watermark(text=a); watermark(text=b)"))
                .hasMessage("watermark may be given once");
        assertThatThrownBy(() -> Operations.parse("deinterlace(mode=weird)"))
                .hasMessageContaining("must be one of field, frame");
    }

    @Test
    void rawFilterSyntaxIsNotAnOperation() {
        assertThatThrownBy(() -> Operations.parse("scale=1280:720,drawtext=text=x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Operations.parse("scale(height=720 [out]"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void watermarkTextNeverEntersTheFilterString() {
        Operation w = Operations.parse("watermark(text=\"x:y,z'[a];drawbox\")").get(0);
        String filter = w.videoFilter(java.nio.file.Path.of("/work/wm.txt")).orElseThrow();
        assertThat(filter)
                .startsWith("drawtext=textfile=/work/wm.txt:expansion=none:")
                .doesNotContain("x:y");
    }

    @Test
    void aPathIsEscapedForBothLevelsOfFilterSyntax() {
        // Option level escapes \ ' : and graph level escapes \ ' [ ] , ; (ffmpeg unescapes the graph first).
        assertThat(Operations.filterPath(java.nio.file.Path.of("/a:b/c,d/e'f/g[h];i")))
                .isEqualTo("/a\\\\:b/c\\,d/e\\\\\\'f/g\\[h\\]\\;i");
    }
}
