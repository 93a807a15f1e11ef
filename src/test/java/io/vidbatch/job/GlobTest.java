package io.vidbatch.job;

import org.junit.jupiter.api.Test;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class GlobTest {

    /** Only a guard against a hang: no test here asserts how long a match takes. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(10);

    private static Glob glob(String pattern) {
        try {
            return Glob.compile(pattern);
        } catch (Glob.Invalid e) {
            throw new AssertionError(pattern + ": " + e.getMessage(), e);
        }
    }

    private static List<String> matching(String pattern, String... paths) {
        Glob g = glob(pattern);
        return List.of(paths).stream().filter(g::matches).toList();
    }

    @Test
    void thirtyGlobstarsDecideOnLongNamesAtOnce() {
        Glob g = glob("**".repeat(30) + "Z");
        List<String> names = IntStream.range(0, 2_000)
                .mapToObj(i -> "%04d".formatted(i) + "x".repeat(247) + ".mp4")
                .toList();
        assertThat(names.get(0)).hasSize(255);
        List<String> matched = assertTimeoutPreemptively(
                HANG_GUARD, () -> names.stream().filter(g::matches).toList());
        assertThat(matched).isEmpty();
        assertThat(g.matches("x".repeat(254) + "Z")).isTrue();
        assertThat(g.matches("deep/".repeat(40) + "Z")).isTrue();
    }

    @Test
    void starsThatStayInOneNameDecideAtOnceToo() {
        Glob g = glob("*a".repeat(500) + "Z");
        String name = "a".repeat(255);
        assertThat(assertTimeoutPreemptively(HANG_GUARD, () -> g.matches(name))).isFalse();
        assertThat(g.matches("a".repeat(500) + "Z")).isTrue();
    }

    @Test
    void aStarStaysInsideOneName() {
        assertThat(matching("*.mp4", "a.mp4", "x/a.mp4", "a.mkv", ".mp4")).containsExactly("a.mp4", ".mp4");
        assertThat(matching("*/*.mkv", "a/b.mkv", "b.mkv", "a/b/c.mkv")).containsExactly("a/b.mkv");
    }

    @Test
    void twoStarsCrossFoldersAndASlashAfterThemNeedsOne() {
        assertThat(matching("**.mp4", "a.mp4", "x/a.mp4", "x/y/a.mp4"))
                .containsExactly("a.mp4", "x/a.mp4", "x/y/a.mp4");
        // As with the JDK's globs: **/ needs a folder, so the base folder's own files do not match.
        assertThat(matching("**/*.mp4", "a.mp4", "x/a.mp4", "x/y/a.mp4")).containsExactly("x/a.mp4", "x/y/a.mp4");
        assertThat(matching(
                        "a/**/b/*.mkv", "a/x/b/c.mkv", "a/x/y/b/c.mkv", "a/b/c.mkv", "a/x/b/c/d.mkv", "z/x/b/c.mkv"))
                .containsExactly("a/x/b/c.mkv", "a/x/y/b/c.mkv");
    }

    @Test
    void aQuestionMarkIsOneCharacterOfAName() {
        assertThat(matching("e?.mp4", "e1.mp4", "e10.mp4", "e.mp4", "é.mp4", "eé.mp4", "e😀.mp4", "e/.mp4"))
                .containsExactly("e1.mp4", "eé.mp4", "e😀.mp4");
    }

    @Test
    void classesTakeCharactersRangesAndNegation() {
        String[] names = {"a.mp4", "b.mp4", "d.mp4", "-.mp4", "^.mp4"};
        assertThat(matching("[ab].mp4", names)).containsExactly("a.mp4", "b.mp4");
        assertThat(matching("[a-c].mp4", names)).containsExactly("a.mp4", "b.mp4");
        assertThat(matching("[!a-c].mp4", names)).containsExactly("d.mp4", "-.mp4", "^.mp4");
        // '^' negates as in shells (the JDK took it as a character).
        assertThat(matching("[^a-c].mp4", names)).containsExactly("d.mp4", "-.mp4", "^.mp4");
        assertThat(matching("[-d].mp4", names)).containsExactly("d.mp4", "-.mp4");
        assertThat(matching("[d-].mp4", names)).containsExactly("d.mp4", "-.mp4");
        assertThat(matching("x[!a]y", "x/y")).isEmpty();
    }

    @Test
    void bracesGiveAlternativesThatMayHoldFolders() {
        assertThat(matching("*.{mp4,mkv}", "a.mp4", "a.mkv", "a.mov")).containsExactly("a.mp4", "a.mkv");
        assertThat(matching("{shows,films/new}/*.mp4", "shows/a.mp4", "films/new/b.mp4", "films/c.mp4"))
                .containsExactly("shows/a.mp4", "films/new/b.mp4");
        assertThat(matching("take{,2}.mp4", "take.mp4", "take2.mp4", "take3.mp4"))
                .containsExactly("take.mp4", "take2.mp4");
    }

    @Test
    void aBackslashTakesTheNextCharacterAsItIs() {
        assertThat(matching("\\*.mp4", "*.mp4", "a.mp4")).containsExactly("*.mp4");
        assertThat(matching("\\{a,b}.mp4", "{a,b}.mp4", "a.mp4")).containsExactly("{a,b}.mp4");
    }

    @Test
    void itMatchesWhatTheJdkMatched() {
        List<String> patterns = List.of(
                "*.mp4",
                "**.mp4",
                "**/*.mp4",
                "a/**/b/*.mkv",
                "e?.mp4",
                "[abc]*",
                "[a-c]?.mp4",
                "[!a-c]*",
                "[-x]*",
                "[x-]*",
                "*.{mp4,mkv}",
                "{a,b/c}/*",
                "{,x}a*",
                "\\*.mp4",
                "***",
                "a*b*c",
                "*/*",
                "**/",
                "?",
                "s[0-9][0-9]e*.m??",
                "**a**b**",
                "*/**",
                "x{*,?}y");
        List<String> paths = List.of(
                "a.mp4",
                "a.mkv",
                "x/a.mp4",
                "x/y/a.mp4",
                "a/b/c.mkv",
                "a/x/b/c.mkv",
                "a/x/y/b/c.mkv",
                "e1.mp4",
                "e10.mp4",
                "b1.mp4",
                "-dash",
                "x-",
                "*.mp4",
                "b/c/d",
                "xab",
                "abc",
                "aXbYc",
                "a/b/c",
                "é.mp4",
                "😀.mp4",
                "s01e02.mkv",
                "s01e02.mp4",
                "xy",
                "xzzy",
                "x/y");
        for (String pattern : patterns) {
            PathMatcher jdk = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            Glob ours = glob(pattern);
            for (String path : paths) {
                assertThat(ours.matches(path))
                        .as("%s against %s", pattern, path)
                        .isEqualTo(jdk.matches(Path.of(path)));
            }
        }
    }

    @Test
    void brokenPatternsSayWhatIsWrong() {
        assertInvalid("show/[abc.mp4", "'[' without its ']'");
        assertInvalid("*.{mp4,mkv", "'{' without its '}'");
        assertInvalid("{a,{b,c}}", "a {...} group inside another is not supported");
        assertInvalid("[].mp4", "an empty [] class matches nothing");
        assertInvalid("[z-a].mp4", "the range z-a runs backwards");
        assertInvalid("[a/b]", "'/' inside [...]: a class matches one character of a name");
        assertInvalid("a\\", "'\\' at its end escapes nothing");
        assertInvalid("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}", "its {...} groups make more than 32 alternatives");
    }

    private static void assertInvalid(String pattern, String why) {
        assertThatThrownBy(() -> Glob.compile(pattern))
                .as(pattern)
                .isInstanceOf(Glob.Invalid.class)
                .hasMessage(why);
    }

    @Test
    void itSaysHowDeepToLookAndHowManyWildcardsItHas() {
        assertThat(glob("*.mp4").depth()).isEqualTo(1);
        assertThat(glob("{a,b/c}/*.mp4").depth()).isEqualTo(3);
        assertThat(glob("a/**.mp4").depth()).isEqualTo(Glob.ANY_DEPTH);
        assertThat(glob("s??e*.{mkv,mp4}").wildcards()).isEqualTo(3);
        assertThat(glob("**[ab]\\*").wildcards()).isEqualTo(2);
    }
}
