package io.vidbatch.config;

import io.vidbatch.media.Budget;
import io.vidbatch.media.Tools;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Operator settings: server variables (server.xml defaults, overridden by environment variables
 * such as {@code INPUT_ROOTS} or by bootstrap.properties), passed to the application as
 * application properties.
 */
@ApplicationScoped
public class Settings {

    @Inject
    @ConfigProperty(name = "input.roots")
    String inputRoots;

    @Inject
    @ConfigProperty(name = "output.root")
    String outputRoot;

    @Inject
    @ConfigProperty(name = "workers.max")
    int maxWorkers;

    /** The worker entry point's jar, for the process launcher. */
    @Inject
    @ConfigProperty(name = "worker.jar")
    String workerJar;

    @Inject
    @ConfigProperty(name = "max.frame.pixels", defaultValue = "35389440")
    long maxFramePixels;

    @Inject
    @ConfigProperty(name = "max.pixel.rate", defaultValue = "2123366400")
    long maxPixelRate;

    @Inject
    @ConfigProperty(name = "jobs.per.submitter", defaultValue = "20")
    int jobsPerSubmitter;

    @Inject
    @ConfigProperty(name = "workers.per.submitter", defaultValue = "64")
    int workersPerSubmitter;

    private final Tools tools = Tools.onPath();
    private volatile Roots roots;

    public Roots roots() {
        if (roots == null) {
            List<Path> inputs = Arrays.stream(inputRoots.split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .map(Path::of)
                    .toList();
            roots = new Roots(inputs, Path.of(outputRoot.strip()));
        }
        return roots;
    }

    public int maxWorkers() {
        return maxWorkers;
    }

    /** What one item may ask of a worker; see {@link Budget}. */
    public Budget budget() {
        return new Budget(maxFramePixels, maxPixelRate);
    }

    public int jobsPerSubmitter() {
        return jobsPerSubmitter;
    }

    public int workersPerSubmitter() {
        return workersPerSubmitter;
    }

    public Tools tools() {
        return tools;
    }

    /**
     * How the process launcher starts a worker: this JVM's java with options for a short-lived
     * process that mostly waits on ffmpeg (no C2 compiler, a small serial-collected heap, the
     * classes mapped from the archive next to the jar that docker/worker-archive made; the JVM
     * ignores an archive that is missing or was made by another JVM).
     */
    public List<String> workerCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String archive = workerJar.replaceFirst("\\.jar$", "") + ".jsa";
        return List.of(
                java,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-XX:SharedArchiveFile=" + archive,
                "-Xshare:auto",
                "-jar",
                workerJar);
    }
}
