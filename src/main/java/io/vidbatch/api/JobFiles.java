package io.vidbatch.api;

import io.vidbatch.config.Roots;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Files a job wrote that the API hands out: ffmpeg logs and thumbnails. Their paths come from
 * the job's own records, but a symlink planted in the output folder must not turn them into a
 * way to read anything else: each is opened only when it really lies inside the output root.
 */
final class JobFiles {

    private final Roots roots;

    JobFiles(Roots roots) {
        this.roots = roots;
    }

    /** The last {@code lines} lines of a text file; empty when it does not exist (yet). */
    Optional<String> tail(Path file, int lines) {
        if (!readable(file)) {
            return Optional.empty();
        }
        Deque<String> last = new ArrayDeque<>(lines);
        // Undecodable bytes (ffmpeg echoes file names as they are) become U+FFFD rather than failing the read.
        try (Stream<String> s = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines()) {
            s.forEach(l -> {
                if (last.size() == lines) {
                    last.removeFirst();
                }
                last.addLast(l);
            });
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
        return Optional.of(String.join("\n", last) + "\n");
    }

    Optional<Path> image(Path file) {
        return readable(file) && file.getFileName().toString().endsWith(".jpg") ? Optional.of(file) : Optional.empty();
    }

    private boolean readable(Path file) {
        return Files.isRegularFile(file) && roots.reallyInsideOutput(file);
    }
}
