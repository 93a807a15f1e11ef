package io.vidbatch.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Rows of docs/reliability.md, written by the tests that establish them: one TSV file per
 * table under target/reliability/ (scripts/reliability-report turns them into the document).
 */
final class Report {

    static final Path DIR = Path.of("target/reliability");

    private Report() {}

    /** Appends a row (what was tried, what the user sees) to a table. */
    static synchronized void row(String table, String tried, String seen) {
        String line = clean(tried) + "\t" + clean(seen) + "\n";
        try {
            Files.createDirectories(DIR);
            Files.writeString(
                    DIR.resolve(table + ".tsv"),
                    line,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String clean(String s) {
        return s.replace("\t", " ").replace("\n", "\\n").replace("|", "\\|");
    }
}
