package io.vidbatch.media;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A separate JVM on the test classpath, standing in for a coordinator that a test can kill. */
final class TestJvm {

    private TestJvm() {}

    /**
     * Starts {@code main} with the test JVM's environment plus {@code env}; its output (stdout and
     * stderr) goes to {@code output}, so nothing has to drain a pipe.
     */
    static Process start(Class<?> main, Map<String, String> env, Path output, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        return pb.start();
    }
}
