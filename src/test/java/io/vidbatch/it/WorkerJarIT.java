package io.vidbatch.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker jar, as the process launcher starts it and the worker image runs it, holds the
 * media code, the work contract and the worker, and nothing of the server; it does real work
 * on that alone (ProcessLauncherIT and the Kubernetes ITs run items through it).
 */
class WorkerJarIT {

    private static final Path JAR = Path.of(System.getProperty("vidbatch.worker.jar"));

    @Test
    void holdsOnlyMediaTheWorkContractAndTheWorker() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> classes = jar.stream()
                    .map(e -> e.getName())
                    .filter(n -> n.endsWith(".class"))
                    .toList();
            System.out.printf("worker jar: %d classes, %d bytes%n", classes.size(), Files.size(JAR));
            assertThat(classes)
                    .isNotEmpty()
                    .allMatch(n -> n.startsWith("io/vidbatch/media/")
                            || n.startsWith("io/vidbatch/work/")
                            || n.startsWith("io/vidbatch/worker/"));
            assertThat(classes)
                    .contains(
                            "io/vidbatch/worker/Worker.class",
                            "io/vidbatch/work/ItemRunner.class",
                            "io/vidbatch/media/Transcoder.class");
        }
    }

    /** Started with no items, it says so in its outcome and exits 2: it runs without the rest of vidbatch. */
    @Test
    void startsOnItsOwn() throws Exception {
        Path outcome = Files.createTempFile("worker-outcome", ".json");
        ProcessBuilder b = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString())
                .redirectErrorStream(true);
        b.environment().remove("VIDBATCH_ITEMS");
        b.environment().put("VIDBATCH_RESULT_FILE", outcome.toString());
        Process p = b.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(output).isEqualTo(2);
        assertThat(Files.readString(outcome)).contains("\"status\":\"FAILED\"", "VIDBATCH_ITEMS is not set");
        assertThat(output).doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
        Files.deleteIfExists(outcome);
    }
}
