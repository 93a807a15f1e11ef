package io.vidbatch.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Files that readers see complete or not at all: written under a hidden temporary name in the
 * same folder, then renamed into place in one step.
 */
public final class OutputFiles {

    private OutputFiles() {}

    /**
     * A hidden name beside the output. Unpredictable, so two jobs writing the same output never
     * share it and nobody can plant a link under it for ffmpeg to write through.
     */
    public static Path temporaryFor(Path output) {
        return output.resolveSibling(
                "." + output.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".part");
    }

    public static void publish(Path temporary, Path output) throws IOException {
        Files.move(temporary, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Removes what a worker that died mid-write left beside the output (its temporary files).
     * Called by whoever saw the worker die, since the worker itself could not clean up.
     */
    public static void removeTemporaries(Path output) {
        String prefix = "." + output.getFileName() + ".";
        try (Stream<Path> s = Files.list(output.getParent())) {
            for (Path p : s.filter(
                            p -> isTemporary(p) && p.getFileName().toString().startsWith(prefix))
                    .toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // nothing to clean, or the folder is gone
        }
    }

    public static boolean isTemporary(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith(".") && n.endsWith(".part");
    }

    /** A folder and everything in it; nothing when it is not there. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
