package io.vidbatch.media;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What ffmpeg, ffprobe and worker JVMs see of the coordinator's environment. */
class ChildProcessesTest {

    /** What a production coordinator's environment holds, by the names docs/configuration.md gives them. */
    static final Map<String, String> SECRETS = Map.of(
            "ADMIN_PASSWORD",
            "adm-Kq9-secret",
            "SUBMITTER_PASSWORD",
            "sub-Kq9-secret",
            "KEYSTORE_PASSWORD",
            "ks-Kq9-secret",
            "DB_PASSWORD",
            "db-Kq9-secret");

    @Test
    void aChildGetsThePathAndLocaleAndNoPassword() {
        Map<String, String> parent = new java.util.HashMap<>(SECRETS);
        parent.putAll(Map.of(
                "PATH",
                "/usr/local/bin:/usr/bin:/bin",
                "LANG",
                "C.UTF-8",
                "HOME",
                "/home/vidbatch",
                "XDG_CACHE_HOME",
                "/tmp/.cache",
                "JAVA_TOOL_OPTIONS",
                "-Dx=y"));
        assertThat(ChildProcesses.environment(parent))
                .containsOnly(
                        Map.entry("PATH", "/usr/local/bin:/usr/bin:/bin"),
                        Map.entry("LANG", "C.UTF-8"),
                        Map.entry("XDG_CACHE_HOME", "/tmp/.cache"));
    }

    @Test
    void buildersStartFromAnEmptyEnvironment() throws Exception {
        // The test JVM's environment holds far more (HOME, USER, Maven's own); none of it may pass.
        assertThat(ChildProcesses.tool(List.of("/usr/bin/printenv"))
                        .environment()
                        .keySet())
                .isSubsetOf(ChildProcesses.PASSED)
                .contains("PATH");
        assertThat(ChildProcesses.worker(List.of("/usr/bin/printenv"), Map.of("VIDBATCH_ITEMS", "[]"))
                        .environment())
                .containsEntry("VIDBATCH_ITEMS", "[]")
                .containsKey("PATH")
                .hasSizeLessThanOrEqualTo(ChildProcesses.PASSED.size() + 1);
    }

    @Test
    void childrenOfACoordinatorWithPasswordsSeeNoneOfThem() throws Exception {
        Path out = Samples.scratch().resolve("env.txt");
        Process coordinator = TestJvm.start(PrintChildEnvironments.class, SECRETS, out);
        assertThat(coordinator.waitFor(60, TimeUnit.SECONDS))
                .as("the stand-in coordinator ends")
                .isTrue();
        String printed = Files.readString(out);
        assertThat(coordinator.exitValue()).as(printed).isZero();

        assertThat(printed).contains("tool:PATH=", "worker:PATH=", "worker:VIDBATCH_ITEMS=[]");
        for (String secret : SECRETS.values()) {
            assertThat(printed).doesNotContain(secret);
        }
        List<String> names = printed.lines()
                .map(l -> l.substring(l.indexOf(':') + 1, l.indexOf('=')))
                .distinct()
                .toList();
        assertThat(names)
                .allMatch(
                        n -> ChildProcesses.PASSED.contains(n) || n.equals("VIDBATCH_ITEMS"),
                        "only what a child needs");
    }

    @Test
    void aMissingFfmpegIsAToolFailureNotTheInputsFault() throws Exception {
        // Run under setpriv, a missing ffmpeg would otherwise start, fail with exit 127 and look like bad media.
        FfmpegRun run = new FfmpegRun(
                List.of("/nonexistent/ffmpeg", "-version"), Samples.scratch().resolve("log"), 1);
        assertThatThrownBy(() -> run.run(Progress.Listener.IGNORE, () -> false))
                .isInstanceOf(ToolFailureException.class)
                .hasMessageContaining("cannot start ffmpeg");
    }
}
