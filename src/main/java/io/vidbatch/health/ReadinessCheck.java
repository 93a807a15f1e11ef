package io.vidbatch.health;

import io.vidbatch.config.Settings;
import io.vidbatch.store.WorkStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Ready when a job could run now: the datasource answers, ffmpeg and ffprobe run, and the
 * output root takes a file.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private static final long TOOLS_RECHECK_MILLIS = 60_000;

    @Inject
    WorkStore store;

    @Inject
    Settings settings;

    private volatile boolean toolsOk;
    private volatile long toolsCheckedAt;

    @Override
    public HealthCheckResponse call() {
        boolean database = store.reachable();
        boolean tools = tools();
        String output = outputWritable();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("vidbatch")
                .withData("database", database)
                .withData("ffmpeg", tools)
                .withData("outputRoot", output == null ? "writable" : output);
        return b.status(database && tools && output == null).build();
    }

    /** Starting two processes on every probe is wasteful; their presence changes rarely. */
    private boolean tools() {
        long now = System.currentTimeMillis();
        if (!toolsOk || now - toolsCheckedAt > TOOLS_RECHECK_MILLIS) {
            toolsOk = settings.tools().available();
            toolsCheckedAt = now;
        }
        return toolsOk;
    }

    private String outputWritable() {
        Path root = settings.roots().outputRoot();
        try {
            Files.createDirectories(root);
            Path probe = Files.createTempFile(root, ".ready", ".tmp");
            Files.delete(probe);
            return null;
        } catch (IOException | SecurityException e) {
            return "not writable: " + e.getClass().getSimpleName();
        }
    }
}
