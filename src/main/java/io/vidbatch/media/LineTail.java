package io.vidbatch.media;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the complete lines a running process has appended to a file since the last look. A
 * file instead of a pipe: nothing to drain, no reader thread, and the poll fits in the loop
 * that already waits for the process.
 */
public final class LineTail implements AutoCloseable {

    private static final int MAX_CHUNK = 1 << 20;

    private final Path file;
    private RandomAccessFile in;
    private long position;
    private final StringBuilder partial = new StringBuilder();

    public LineTail(Path file) {
        this.file = file;
    }

    /** New complete lines, oldest first; empty when there are none (or the file is not there yet). */
    public List<String> poll() {
        List<String> lines = new ArrayList<>();
        try {
            if (in == null) {
                if (!Files.exists(file)) {
                    return lines;
                }
                in = new RandomAccessFile(file.toFile(), "r");
            }
            long length;
            while ((length = in.length()) > position) {
                byte[] buf = new byte[(int) Math.min(length - position, MAX_CHUNK)];
                in.seek(position);
                in.readFully(buf);
                position += buf.length;
                partial.append(new String(buf, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            return lines;
        }
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
            lines.add(partial.substring(0, nl));
            partial.delete(0, nl + 1);
        }
        return lines;
    }

    @Override
    public void close() {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // a read-only handle
            }
        }
    }
}
