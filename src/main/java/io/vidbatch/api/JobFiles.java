package io.vidbatch.api;

import io.vidbatch.config.Roots;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Files a job wrote that the API hands out: ffmpeg logs, thumbnails and ladders' files. Their
 * paths come from the job's own records, but a symlink planted in the output folder must not
 * turn them into a way to read anything else: each path is resolved to the real file once, that
 * file is checked to lie inside the output root, and only that resolved file is read.
 */
final class JobFiles {

    /** A tail never needs more than the end of a log; ffmpeg's can grow to megabytes. */
    private static final int TAIL_BYTES = 256 * 1024;

    private final Roots roots;

    JobFiles(Roots roots) {
        this.roots = roots;
    }

    /** The last {@code lines} lines of a text file; empty when it does not exist (yet). */
    Optional<String> tail(Path file, int lines) {
        Optional<Path> real = inside(file);
        if (real.isEmpty()) {
            return Optional.empty();
        }
        try (RandomAccessFile f = new RandomAccessFile(real.get().toFile(), "r")) {
            long start = Math.max(0, f.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            // Undecodable bytes (ffmpeg echoes file names as they are) become U+FFFD rather than failing the read.
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n", -1));
            if (start > 0) {
                all = all.subList(1, all.size()); // the first line was cut
            }
            if (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
                all = all.subList(0, all.size() - 1);
            }
            return Optional.of(String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** An output itself (symlinks resolved), when it is an MP4 or WebM file inside the output root. */
    Optional<Path> output(Path file) {
        return inside(file).filter(p -> contentType(p).isPresent());
    }

    /** What an output is served as, by its extension: only what the presets write. */
    static Optional<String> contentType(Path output) {
        String name = output.getFileName().toString();
        return name.endsWith(".mp4")
                ? Optional.of("video/mp4")
                : name.endsWith(".webm") ? Optional.of("video/webm") : Optional.empty();
    }

    /** The thumbnail itself (symlinks resolved), when it is a JPEG inside the output root. */
    Optional<Path> image(Path file) {
        return inside(file).filter(p -> p.getFileName().toString().endsWith(".jpg"));
    }

    /**
     * A file of a published ladder folder, by a name {@link LadderFiles} allows: a regular file
     * directly inside the folder (itself inside the output root), and no symlink.
     */
    Optional<Path> ladderFile(Path dir, String name) {
        if (LadderFiles.contentType(name).isEmpty()) {
            return Optional.empty();
        }
        try {
            Path folder = dir.toRealPath();
            if (!folder.startsWith(roots.outputRoot().toRealPath())) {
                return Optional.empty();
            }
            Path file = folder.resolve(name);
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                            && file.toRealPath().equals(file)
                    ? Optional.of(file)
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<Path> inside(Path file) {
        try {
            Path real = file.toRealPath();
            return Files.isRegularFile(real)
                            && real.startsWith(roots.outputRoot().toRealPath())
                    ? Optional.of(real)
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
