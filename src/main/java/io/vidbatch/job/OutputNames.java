package io.vidbatch.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Gives each output a name no other job holds, so no job ever replaces what another wrote: two
 * users converting {@code intro.mp4} into the shared output folder get {@code intro-h264-720p.mp4}
 * and {@code intro-2-h264-720p.mp4}. A name is taken while its file (or its first thumbnail)
 * exists, or while a job that has not completed holds its claim: an empty file under
 * {@code .vidbatch-work/claims}, created atomically, so two jobs planning at once cannot both
 * take a name. A completed job releases its claims (its files now hold the names); a failed or
 * stopped one keeps them for its restart.
 */
public final class OutputNames {

    private final Path dir;
    private final Path claims;
    private final long job;
    private final Set<String> used = new HashSet<>();

    public OutputNames(Path dir, Path claims, long job) {
        this.dir = dir;
        this.claims = claims;
        this.job = job;
    }

    /**
     * Longest output name, in bytes: Linux allows 255 for a name, and the temporary file beside the
     * output (15 more) and the thumbnails ({@code -thumb12.jpg}) must fit too.
     */
    static final int MAX_NAME_BYTES = 200;

    /** {@code <stem><suffix>}, or {@code <stem>-2<suffix>}, {@code -3}, ...: the first name free everywhere. */
    public Path next(String stem, String suffix) throws IOException {
        Files.createDirectories(claims);
        for (int i = 1; ; i++) {
            String number = i == 1 ? "" : "-" + i;
            String name = shorten(stem, MAX_NAME_BYTES - bytes(number + suffix)) + number + suffix;
            if (!used.add(name)) {
                continue;
            }
            Path output = dir.resolve(name);
            if (!onDisk(output) && claim(output)) {
                return output;
            }
        }
    }

    /** The stem cut to at most this many UTF-8 bytes, never inside a character. */
    static String shorten(String stem, int maxBytes) {
        if (bytes(stem) <= maxBytes) {
            return stem;
        }
        int end = 0;
        int used = 0;
        while (end < stem.length()) {
            int cp = stem.codePointAt(end);
            int size = bytes(new String(Character.toChars(cp)));
            if (used + size > maxBytes) {
                break;
            }
            used += size;
            end += Character.charCount(cp);
        }
        return stem.substring(0, end);
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static boolean onDisk(Path output) {
        String name = output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path thumbnail = output.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "-thumb1.jpg");
        return Files.exists(output, LinkOption.NOFOLLOW_LINKS) || Files.exists(thumbnail, LinkOption.NOFOLLOW_LINKS);
    }

    /** True when this job now holds the name: it made the claim, or made it before (planning again). */
    private boolean claim(Path output) throws IOException {
        Path claim = claims.resolve(key(output));
        try {
            Files.writeString(Files.createFile(claim), Long.toString(job), StandardCharsets.UTF_8);
            return true;
        } catch (FileAlreadyExistsException e) {
            try {
                return Files.readString(claim, StandardCharsets.UTF_8).strip().equals(Long.toString(job));
            } catch (NoSuchFileException gone) {
                return claim(output); // released meanwhile: try again
            }
        }
    }

    /** The path with its nearest existing folder's links resolved (the rest does not exist yet). */
    private static Path resolved(Path output) {
        Path p = output.toAbsolutePath().normalize();
        Path existing = p.getParent();
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(p));
        } catch (IOException e) {
            return p;
        }
    }

    /** Drops this job's claims on these outputs (its files, where written, hold the names from now on). */
    public static void release(Path claims, long job, List<Path> outputs) {
        for (Path output : outputs) {
            Path claim = claims.resolve(key(output));
            try {
                if (Files.readString(claim, StandardCharsets.UTF_8).strip().equals(Long.toString(job))) {
                    Files.deleteIfExists(claim);
                }
            } catch (IOException ignored) {
                // no claim, or already released
            }
        }
    }

    /**
     * Output paths run to thousands of characters, so a claim is named by a digest of the path,
     * taken with links resolved: one folder reached two ways must give one claim.
     */
    private static String key(Path output) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(resolved(output).toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
