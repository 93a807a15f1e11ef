package io.vidbatch.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Files that readers see complete or not at all: written under a hidden temporary name in the
 * same folder, then renamed into place in one step.
 */
public final class OutputFiles {

    private OutputFiles() {
    }

    /**
     * A hidden name beside the output. Unpredictable, so two jobs writing the same output never
     * share it and nobody can plant a link under it for ffmpeg to write through.
     */
    public static Path temporaryFor(Path output) {
        return output.resolveSibling("." + output.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".part");
    }

    public static void publish(Path temporary, Path output) throws IOException {
        Files.move(temporary, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static boolean isTemporary(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith(".") && n.endsWith(".part");
    }
}
