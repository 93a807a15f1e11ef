package io.vidbatch.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The folders a job may read from and the one it may write under. Every path a user gives is
 * resolved here; nothing outside these roots is read or written, through {@code ..} or symlinks.
 */
public record Roots(List<Path> inputRoots, Path outputRoot) {

    public Roots {
        inputRoots =
                inputRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        outputRoot = outputRoot.toAbsolutePath().normalize();
    }

    /** Where vidbatch keeps per-job working files (segments, logs): hidden, on the shared output volume. */
    public Path workRoot() {
        return outputRoot.resolve(".vidbatch-work");
    }

    /** Where jobs claim output names before they write them (job/OutputNames). */
    public Path claimsDir() {
        return workRoot().resolve("claims");
    }

    public Path workDir(long jobInstance) {
        return workRoot().resolve(Long.toString(jobInstance));
    }

    /**
     * Resolves a user-given input path: absolute paths must lie in a root; relative ones are
     * looked up in each root in turn. Empty when the path escapes every root.
     */
    public Optional<Path> resolveInput(String given) {
        Path p = Path.of(given);
        if (p.isAbsolute()) {
            Path n = p.normalize();
            return inputRoots.stream().anyMatch(n::startsWith) ? Optional.of(n) : Optional.empty();
        }
        Path fallback = null;
        for (Path root : inputRoots) {
            Path n = root.resolve(p).normalize();
            if (!n.startsWith(root)) {
                continue;
            }
            if (Files.exists(n, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(n);
            }
            if (fallback == null) {
                fallback = n;
            }
        }
        return Optional.ofNullable(fallback);
    }

    /** True when this path, already resolved ({@link Path#toRealPath}), lies inside an input root. */
    public boolean realPathInsideInputs(Path real) {
        for (Path root : inputRoots) {
            try {
                if (real.startsWith(root.toRealPath())) {
                    return true;
                }
            } catch (IOException missing) {
                // a root that does not exist holds nothing
            }
        }
        return false;
    }

    /** Resolves {@code outputDir}: relative to the output root, or absolute inside it. */
    public Optional<Path> resolveOutputDir(String given) {
        if (given == null || given.isBlank()) {
            return Optional.of(outputRoot);
        }
        Path p = Path.of(given.strip());
        Path n = (p.isAbsolute() ? p : outputRoot.resolve(p)).normalize();
        if (!n.startsWith(outputRoot) || n.startsWith(workRoot())) {
            return Optional.empty();
        }
        return Optional.of(n);
    }

    /** True when the nearest existing ancestor of the folder, symlinks followed, is inside the output root. */
    public boolean reallyInsideOutput(Path dir) {
        try {
            Files.createDirectories(outputRoot);
            Path existing = dir;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return false;
            }
            return existing.toRealPath().startsWith(outputRoot.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }
}
