package io.vidbatch.job;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TranscodeParametersTest {

    private static TranscodeParameters.Parsed parse(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return TranscodeParameters.parse(m::get, 64);
    }

    @Test
    void defaultsApply() {
        TranscodeParameters p = parse("inputs", "a.mp4").parameters();
        assertThat(p.preset().id()).isEqualTo("h264-720p");
        assertThat(p.workers()).isEqualTo(2);
        assertThat(p.segmentSeconds()).isZero();
        assertThat(p.launcher()).isEqualTo("local");
        assertThat(p.operations()).isEmpty();
        assertThat(p.groupSize()).isEqualTo(1);
        assertThat(p.dryRun()).isFalse();
    }

    @Test
    void qualityIsMeasuredByDefaultForALadderOrAGateAndOnRequestForASingleFile() {
        assertThat(parse("inputs", "a").parameters().quality()).isFalse();
        assertThat(parse("inputs", "a", "quality", "true").parameters().quality())
                .isTrue();
        assertThat(parse("inputs", "a", "ladder", "h264-ladder").parameters().quality())
                .isTrue();
        assertThat(parse("inputs", "a", "minQuality", "35").parameters().quality())
                .isTrue();
        assertThat(parse("inputs", "a", "minQuality", "35", "quality", "false").errors())
                .extracting(FieldError::toString)
                .containsExactly("minQuality: a minQuality gate needs the quality measured (quality=true)");
    }

    @Test
    void groupsAreBoundedByWhatATerminationMessageCarriesAndDryRunIsABoolean() {
        assertThat(parse("inputs", "a", "groupSize", "20", "dryRun", "true").parameters())
                .extracting(TranscodeParameters::groupSize, TranscodeParameters::dryRun)
                .containsExactly(20, true);
        assertThat(parse("inputs", "a", "groupSize", "21", "dryRun", "yes").errors())
                .extracting(FieldError::toString)
                .containsExactly(
                        "groupSize: '21' must be a whole number between 1 and 20 (items per worker)",
                        "dryRun: 'yes' must be true or false");
        assertThat(parse("inputs", "a", "groupSize", "0").errors())
                .extracting(FieldError::field)
                .containsExactly("groupSize");
    }

    @Test
    void eachBadParameterIsNamedWithItsValue() {
        List<FieldError> errors = parse(
                        "inputs",
                        "a.mp4",
                        "preset",
                        "h266-8k",
                        "operations",
                        "sharpen",
                        "segmentSeconds",
                        "-5",
                        "workers",
                        "0",
                        "launcher",
                        "mesos")
                .errors();
        assertThat(errors)
                .extracting(FieldError::field)
                .containsExactly("preset", "operations", "segmentSeconds", "workers", "launcher");
        assertThat(errors.get(0).message()).startsWith("unknown preset 'h266-8k' (known: h264-1080p");
        assertThat(errors.get(1).message()).startsWith("unknown operation 'sharpen'");
        assertThat(errors.get(2).message()).isEqualTo("'-5' must be 0 (whole files) or between 2 and 3600 seconds");
        assertThat(errors.get(3).message()).isEqualTo("'0' must be between 1 and 64");
        assertThat(errors.get(4).message())
                .isEqualTo("'mesos' is not available (available: local, process, kubernetes)");
    }

    @Test
    void inputsAreRequired() {
        assertThat(parse().errors())
                .containsExactly(new FieldError("inputs", "at least one file, folder or glob is required"));
    }

    @Test
    void inputsSplitOnNewlinesWhenPresentSoNamesMayHoldCommas() {
        assertThat(TranscodeParameters.splitInputs("a.mp4, b.mp4")).containsExactly("a.mp4", "b.mp4");
        assertThat(TranscodeParameters.splitInputs("a, b.mp4\nc.mp4\n")).containsExactly("a, b.mp4", "c.mp4");
        // What our API writes: any name stays whole, a newline or a leading space included.
        java.util.List<String> names = java.util.List.of("new\nline.mp4", " spaced .mp4", "a, b.mp4", "[x].mp4");
        jakarta.json.JsonArrayBuilder array = jakarta.json.Json.createArrayBuilder();
        names.forEach(array::add);
        assertThat(TranscodeParameters.splitInputs(array.build().toString())).containsExactlyElementsOf(names);
        assertThat(TranscodeParameters.splitInputs("[x].mp4, y.mp4")).containsExactly("[x].mp4", "y.mp4");
    }

    @Test
    void nonNumbersAreRejected() {
        assertThat(parse("inputs", "a", "workers", "two", "segmentSeconds", "six")
                        .errors())
                .extracting(FieldError::toString)
                .containsExactly("segmentSeconds: 'six' is not a number", "workers: 'two' is not a whole number");
    }
}
