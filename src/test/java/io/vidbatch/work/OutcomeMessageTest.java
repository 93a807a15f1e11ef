package io.vidbatch.work;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A worker's outcomes always reach the coordinator whole, or say which did not. */
class OutcomeMessageTest {

    static final WorkResult BIGGEST = new WorkResult(
            "",
            Long.MAX_VALUE,
            7680,
            4320,
            Long.MAX_VALUE,
            86_399.999_9,
            true,
            86_399.999_9,
            1_000.123_4,
            "",
            Long.MAX_VALUE);
    /** A long path of multi-byte characters, quotes and a control character, as an ffmpeg error would quote it. */
    static final String LONG_REASON =
            "cannot write /media/out/" + "Ünïcødé \"clip\" 日本語 🎬\u0001/".repeat(40) + "x.mp4: No space left";

    static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    static List<Outcome> worstCase(int items) {
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            out.add(
                    switch (i % 3) {
                        case 0 -> Outcome.done(BIGGEST);
                        case 1 -> Outcome.badInput(LONG_REASON);
                        default -> Outcome.failed(LONG_REASON + i);
                    });
        }
        return out;
    }

    @Test
    void aFullGroupOfWorstCaseOutcomesFitsTheBudgetAndReadsBackItemByItem() {
        List<Outcome> worst = worstCase(WorkJson.MAX_GROUP);
        String message = OutcomeMessage.write(worst);

        assertThat(bytes(message)).isLessThanOrEqualTo(OutcomeMessage.BUDGET);
        List<Outcome> back = WorkJson.readOutcomes(message);
        assertThat(back)
                .extracting(Outcome::status)
                .containsExactlyElementsOf(worst.stream().map(Outcome::status).toList());
        assertThat(back.get(0).result().frames()).isEqualTo(Long.MAX_VALUE);
        assertThat(back.get(0).result().bytes()).isEqualTo(Long.MAX_VALUE);
        // Reasons are cut, never to nothing, and what is left is the start of the real one.
        assertThat(back.get(1).message()).endsWith("…").hasSizeGreaterThan(10);
        assertThat(LONG_REASON)
                .startsWith(
                        back.get(1).message().substring(0, back.get(1).message().length() - 1));
    }

    @Test
    void aGroupOfTwentyLargeDoneItemsKeepsWhenEachFinishedAndItsEncodeRate() {
        // A 10 GB four-hour 4K output, times to the millisecond: more than the budget in full (3,901 bytes measured
        // typical).
        WorkResult large = new WorkResult(
                "", 10_737_418_240L, 3840, 2160, 863_136, 14_399.999, true, 12_345.678, 69.915, "", 1_764_400_000_123L);
        List<Outcome> done = new ArrayList<>();
        for (int i = 0; i < WorkJson.MAX_GROUP; i++) {
            done.add(Outcome.done(large));
        }
        String message = OutcomeMessage.write(done);
        assertThat(bytes(message)).isLessThanOrEqualTo(OutcomeMessage.BUDGET);
        assertThat(WorkJson.readOutcomes(message)).hasSize(WorkJson.MAX_GROUP).allSatisfy(o -> {
            assertThat(o.result().finishedAt()).isEqualTo(1_764_400_000_123L);
            assertThat(o.result().encodeFps()).isCloseTo(69.915, org.assertj.core.data.Offset.offset(0.001));
            assertThat(o.result().bytes()).isEqualTo(10_737_418_240L);
        });
    }

    @Test
    void whenReasonsAreNotEnoughTheDerivableFieldsGoAndTheEncodeRateIsWorkedOutAgain() {
        WorkResult r = new WorkResult("", 1_000_000, 1280, 720, 240, 8.0, true, 4.0, 60.0, "", 1_764_400_000_123L);
        List<Outcome> done = List.of(Outcome.done(r), Outcome.done(r));
        int compact = bytes(OutcomeMessage.write(done, 10_000))
                - 2 * ",\"encodeFps\":60.0,\"finishedAt\":1764400000123".length();

        String message = OutcomeMessage.write(done, compact);

        assertThat(bytes(message)).isLessThanOrEqualTo(compact);
        assertThat(WorkJson.readOutcomes(message)).allSatisfy(o -> {
            assertThat(o.result().encodeFps()).isEqualTo(60.0);
            assertThat(o.result().finishedAt()).isZero(); // unknown
            assertThat(o.result().frames()).isEqualTo(240);
        });
    }

    @Test
    void outcomesThatCannotFitAreCountedAndTheirItemsFailSayingWhyNotAsBadInput() {
        List<Outcome> many = worstCase(60);
        String message = OutcomeMessage.write(many);

        assertThat(bytes(message)).isLessThanOrEqualTo(OutcomeMessage.BUDGET);
        OutcomeMessage.Reported r = OutcomeMessage.read(message);
        assertThat(r.truncated()).isPositive();
        assertThat(r.outcomes().size() + r.truncated()).isEqualTo(60);
        List<Outcome> all = r.withMissing();
        assertThat(all).hasSize(60);
        assertThat(all.subList(0, r.outcomes().size()))
                .extracting(Outcome::status)
                .containsExactlyElementsOf(many.subList(0, r.outcomes().size()).stream()
                        .map(Outcome::status)
                        .toList());
        assertThat(all.subList(r.outcomes().size(), 60)).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(Outcome.Status.FAILED);
            assertThat(o.message()).contains("only " + r.outcomes().size() + " of 60 outcomes fit", "groupSize");
        });
    }

    @Test
    void evenNoOutcomeAtAllFittingStillSaysHowManyItemsThereWere() {
        String message = OutcomeMessage.write(worstCase(3), 40);
        assertThat(bytes(message)).isLessThanOrEqualTo(40);
        assertThat(WorkJson.readOutcomes(message))
                .hasSize(3)
                .allSatisfy(o -> assertThat(o.badInput()).isFalse());
    }

    @Test
    void aRuntimeMessageInFrontIsIgnoredEvenWithBracesInIt() {
        String message =
                OutcomeMessage.write(List.of(Outcome.done(BIGGEST), Outcome.badInput("moov atom not found {\"x\":1}")));
        for (String prefix :
                List.of("OOMKilled: ", "runc: {\"level\":\"error\",\"msg\":\"exit\"}: ", "{\"outcomes\":[: ")) {
            List<Outcome> back = WorkJson.readOutcomes(prefix + message + "\n");
            assertThat(back).hasSize(2);
            assertThat(back.get(1)).isEqualTo(Outcome.badInput("moov atom not found {\"x\":1}"));
        }
    }

    @Test
    void aMessageWhoseHeadWasCutIsReadFromItsLastCompleteLine() {
        String older = OutcomeMessage.write(List.of(Outcome.failed("an earlier attempt")));
        String latest = OutcomeMessage.write(List.of(Outcome.badInput("moov atom not found")));
        // The kubelet kept the tail: the start of the file, mid-outcome, is gone.
        String tail = older.substring(12) + "\n" + latest;
        assertThat(WorkJson.readOutcomes(tail)).containsExactly(Outcome.badInput("moov atom not found"));
    }

    @Test
    void aMessageCutInsideItsOwnJsonIsNoOutcome() {
        String message = OutcomeMessage.write(List.of(Outcome.badInput("moov atom not found")));
        assertThatThrownBy(() -> OutcomeMessage.read(message.substring(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutcomeMessage.read("Error: exec format error"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBareArrayFromAnOlderWorkerIsStillRead() {
        assertThat(WorkJson.readOutcomes("[{\"status\":\"BAD_INPUT\",\"message\":\"moov atom not found\"}]"))
                .containsExactly(Outcome.badInput("moov atom not found"));
    }
}
