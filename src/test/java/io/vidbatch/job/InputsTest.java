package io.vidbatch.job;

import io.vidbatch.config.Roots;
import io.vidbatch.media.Samples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class InputsTest {

    /** Only a guard against a hang: no test here asserts how long expansion takes. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(10);

    Path inputs;
    Path outside;
    Roots roots;

    @BeforeEach
    void setUp() throws IOException {
        Path base = Samples.scratch();
        inputs = Files.createDirectories(base.resolve("in"));
        outside = Files.createDirectories(base.resolve("secret"));
        Files.writeString(outside.resolve("passwd.mp4"), "x");
        Files.createDirectories(inputs.resolve("show/s1"));
        for (String f : List.of(
                "a.mp4",
                "b.MOV",
                "notes.txt",
                ".hidden.mp4",
                "show/e1.mp4",
                "show/s1/e2.mp4",
                "-dash.mp4",
                "with space, comma.mp4")) {
            Files.writeString(inputs.resolve(f), "x");
        }
        roots = new Roots(List.of(inputs), base.resolve("out"));
    }

    private List<Inputs.Candidate> expand(String... entries) {
        try {
            return Inputs.expand(List.of(entries), roots, ExpansionDeadline.after(ExpansionDeadline.DEFAULT));
        } catch (ExpansionDeadline.Passed e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> names(List<Inputs.Candidate> cs) {
        return cs.stream()
                .filter(Inputs.Candidate::accepted)
                .map(c -> c.file().getFileName().toString())
                .toList();
    }

    @Test
    void filesResolveAgainstTheRootOrAbsolutely() {
        assertThat(names(expand("a.mp4", inputs.resolve("b.MOV").toString(), "-dash.mp4", "with space, comma.mp4")))
                .containsExactly("a.mp4", "b.MOV", "-dash.mp4", "with space, comma.mp4");
    }

    @Test
    void foldersGiveTheirVideoFilesButNotHiddenOnes() {
        assertThat(names(expand("."))).containsExactly("-dash.mp4", "a.mp4", "b.MOV", "with space, comma.mp4");
    }

    @Test
    void globsMatchBelowTheirBase() {
        assertThat(names(expand("show/**.mp4"))).containsExactly("e1.mp4", "e2.mp4");
        assertThat(names(expand("*.mp4"))).containsExactly("-dash.mp4", "a.mp4", "with space, comma.mp4");
    }

    @Test
    void globsKeepTheirMeaningAndLeaveHiddenFilesOut() throws IOException {
        Files.createDirectories(inputs.resolve("show/.cache"));
        for (String f : List.of("show/.cache/e9.mp4", "show/s1/.e3.mp4", "show/s1/e2.mkv")) {
            Files.writeString(inputs.resolve(f), "x");
        }
        // As before: **/ needs a folder, so a.mp4 at the top is not among them.
        assertThat(names(expand("**/*.mp4"))).containsExactly("e1.mp4", "e2.mp4");
        assertThat(names(expand("show/*/e?.{mp4,mkv}"))).containsExactly("e2.mkv", "e2.mp4");
        assertThat(names(expand("show/**/e[0-9].mkv"))).containsExactly("e2.mkv");
        assertThat(names(expand("[!a-]*.mp4"))).containsExactly("with space, comma.mp4");
    }

    @Test
    void globsOverABoundAreRejectedAndTheOtherEntriesGoOn() {
        List<Inputs.Candidate> cs = assertTimeoutPreemptively(
                HANG_GUARD,
                () -> expand(
                        "x".repeat(1020) + "/*.mp4",
                        "**".repeat(30) + "Z",
                        "*/" + "d/".repeat(32) + "*.mp4",
                        "show/[a-c.mp4",
                        "{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}",
                        "a.mp4"));
        assertThat(cs)
                .extracting(Inputs.Candidate::rejection)
                .containsExactly(
                        "glob longer than 1024 characters",
                        "glob with more than 16 wildcards (each *, **, ? and [...] counts)",
                        "glob deeper than 32 folders",
                        "glob not accepted: '[' without its ']'",
                        "glob not accepted: its {...} groups make more than 32 alternatives",
                        null);
    }

    @Test
    void aGlobWithAsManyWildcardsAsAllowedEndsOnLongNames() throws IOException {
        Path many = Files.createDirectories(inputs.resolve("many"));
        for (int i = 0; i < 200; i++) {
            Files.writeString(many.resolve("%03d".formatted(i) + "a".repeat(248) + ".mp4"), "x");
        }
        String wanted = "b".repeat(254) + "Z";
        Files.writeString(many.resolve(wanted), "x");
        List<Inputs.Candidate> cs =
                assertTimeoutPreemptively(HANG_GUARD, () -> expand("many/" + "**".repeat(16) + "Z"));
        assertThat(names(cs)).containsExactly(wanted);
    }

    @Test
    void escapesAreRejectedWithAReason() {
        List<Inputs.Candidate> cs =
                expand("../secret/passwd.mp4", outside.resolve("passwd.mp4").toString(), "show/../../secret/*.mp4");
        assertThat(cs)
                .hasSize(3)
                .allSatisfy(c -> assertThat(c.rejection()).isEqualTo("outside the allowed input roots"));
    }

    @Test
    void symlinksOutOfTheRootAreRejected() throws IOException {
        Files.createSymbolicLink(inputs.resolve("link.mp4"), outside.resolve("passwd.mp4"));
        Inputs.Candidate c = expand("link.mp4").get(0);
        assertThat(c.rejection()).isEqualTo("outside the allowed input roots (follows a link out)");
    }

    @Test
    void missingThingsSaySo() {
        assertThat(expand("nope.mp4").get(0).rejection()).isEqualTo("not found");
        assertThat(expand("show/*.mkv").get(0).rejection()).isEqualTo("no files match");
        assertThat(expand("show/s1").get(0).rejection()).isNull();
    }

    @Test
    void whatIsReadIsTheRealFileWhileOutputsAreNamedAsGiven() throws IOException {
        Files.createSymbolicLink(inputs.resolve("latest.mp4"), inputs.resolve("a.mp4"));
        Inputs.Candidate c = expand("latest.mp4").get(0);
        assertThat(c.file().getFileName().toString()).isEqualTo("latest.mp4");
        assertThat(c.real()).isEqualTo(inputs.resolve("a.mp4").toRealPath());
    }

    @Test
    void theSameFileTwiceIsPlannedOnce() {
        assertThat(names(expand("a.mp4", "./a.mp4", inputs.resolve("a.mp4").toString())))
                .containsExactly("a.mp4");
    }

    @Test
    void anOutputRootThatDoesNotExistYetIsCreatedNotRefused() {
        Path dir = roots.resolveOutputDir("night").orElseThrow();
        assertThat(roots.reallyInsideOutput(dir)).isTrue();
        assertThat(roots.outputRoot()).isDirectory();
    }

    @Test
    void aLinkOutOfTheOutputRootIsRefused() throws IOException {
        Files.createDirectories(roots.outputRoot());
        Files.createSymbolicLink(roots.outputRoot().resolve("escape"), outside);
        assertThat(roots.reallyInsideOutput(roots.resolveOutputDir("escape/sub").orElseThrow()))
                .isFalse();
    }

    @Test
    void outputDirMustStayUnderTheOutputRoot() {
        assertThat(roots.resolveOutputDir("night/2026"))
                .contains(roots.outputRoot().resolve("night/2026"));
        assertThat(roots.resolveOutputDir("../elsewhere")).isEmpty();
        assertThat(roots.resolveOutputDir("/tmp")).isEmpty();
        assertThat(roots.resolveOutputDir(".vidbatch-work/x")).isEmpty();
    }
}
