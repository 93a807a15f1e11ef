package io.vidbatch.job;

import io.vidbatch.config.Roots;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Expands the {@code inputs} entries (files, folders, globs) into files inside the input
 * roots. An entry that cannot be used becomes a rejection with its reason; the rest go on.
 */
public final class Inputs {

    /** Extensions a folder is searched for; explicit file names may have any. */
    static final Set<String> VIDEO_EXTENSIONS = Set.of(
            "mp4", "m4v", "mov", "mkv", "webm", "avi", "mpg", "mpeg", "ts", "mts", "m2ts", "mxf", "flv", "wmv", "3gp",
            "ogv", "y4m");

    static final int MAX_FILES = 100_000;
    private static final int MAX_DEPTH = 32;
    /** A glob is typed by someone; a longer one is a mistake or an attack on the matcher. */
    static final int MAX_GLOB_LENGTH = 1024;
    /** Far more than globs people write need ({@code s??e*.{mkv,mp4}} has 3). */
    static final int MAX_WILDCARDS = 16;

    private static final String GLOB_CHARS = "*?[{";

    /**
     * One file to plan, or an entry that was turned away.
     *
     * @param file the file as named (outputs are named after it)
     * @param real the same with every link resolved: what is read, so a link swapped in later
     *             cannot redirect it outside the roots
     */
    public record Candidate(String given, Path file, Path real, String rejection) {
        Candidate(String given, Path file, String rejection) {
            this(given, file, null, rejection);
        }

        static Candidate rejected(String given, Path file, String why) {
            return new Candidate(given, file, why);
        }

        public boolean accepted() {
            return rejection == null;
        }

        /** The entry's file or folder itself is missing or unreadable (an unmounted share), not merely empty. */
        public boolean gone() {
            return rejection != null
                    && (rejection.equals(NOT_FOUND)
                            || rejection.equals(FOLDER_NOT_FOUND)
                            || rejection.startsWith(UNREADABLE));
        }
    }

    private static final String NOT_FOUND = "not found";
    private static final String FOLDER_NOT_FOUND = "folder not found";
    private static final String UNREADABLE = "folder cannot be read: ";

    private Inputs() {}

    /** Every entry's files or rejection, in order; all of it or, once the deadline passes, nothing. */
    public static List<Candidate> expand(List<String> entries, Roots roots, ExpansionDeadline deadline)
            throws ExpansionDeadline.Passed {
        List<Candidate> out = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (String entry : entries) {
            deadline.check();
            for (Candidate c : expandOne(entry, roots, deadline)) {
                // Each file costs a few system calls below, on a share maybe slow ones.
                deadline.check();
                if (!c.accepted()) {
                    out.add(c);
                    continue;
                }
                // Resolved once, and that very path checked and kept: resolving twice would let a link
                // swapped in between the two leave the kept path outside the roots.
                Path real;
                try {
                    real = c.file().toRealPath();
                } catch (IOException e) {
                    out.add(Candidate.rejected(entry, c.file(), "cannot be read: " + e.getMessage()));
                    continue;
                }
                if (!roots.realPathInsideInputs(real)) {
                    out.add(Candidate.rejected(
                            entry, c.file(), "outside the allowed input roots (follows a link out)"));
                    continue;
                }
                if (seen.contains(real)) {
                    continue;
                }
                if (seen.size() == MAX_FILES) {
                    out.add(Candidate.rejected(entry, null, "more than " + MAX_FILES + " files in one job"));
                    return out;
                }
                seen.add(real);
                out.add(new Candidate(entry, c.file(), real, null));
            }
        }
        return out;
    }

    private static List<Candidate> expandOne(String entry, Roots roots, ExpansionDeadline deadline)
            throws ExpansionDeadline.Passed {
        if (escapesWithGlob(entry)) {
            return List.of(Candidate.rejected(entry, null, "outside the allowed input roots"));
        }
        if (isGlob(entry)) {
            return glob(entry, roots, deadline);
        }
        Optional<Path> resolved = roots.resolveInput(entry);
        if (resolved.isEmpty()) {
            return List.of(Candidate.rejected(entry, null, "outside the allowed input roots"));
        }
        Path p = resolved.get();
        if (Files.isDirectory(p)) {
            List<Path> found = new ArrayList<>();
            try (DirectoryStream<Path> listing = Files.newDirectoryStream(p)) {
                for (Path f : listing) {
                    deadline.check();
                    if (!hidden(f.getFileName()) && videoExtension(f) && Files.isRegularFile(f)) {
                        found.add(f);
                    }
                }
            } catch (IOException e) {
                return List.of(Candidate.rejected(entry, p, UNREADABLE + e.getMessage()));
            } catch (DirectoryIteratorException e) {
                return List.of(
                        Candidate.rejected(entry, p, UNREADABLE + e.getCause().getMessage()));
            }
            List<Candidate> files = found.stream()
                    .sorted()
                    .map(f -> new Candidate(entry, f, null))
                    .toList();
            return files.isEmpty() ? List.of(Candidate.rejected(entry, p, "folder has no video files")) : files;
        }
        if (!Files.exists(p)) {
            return List.of(Candidate.rejected(entry, p, NOT_FOUND));
        }
        if (!Files.isRegularFile(p)) {
            return List.of(Candidate.rejected(entry, p, "not a regular file"));
        }
        return List.of(new Candidate(entry, p, null));
    }

    private static List<Candidate> glob(String entry, Roots roots, ExpansionDeadline deadline)
            throws ExpansionDeadline.Passed {
        if (entry.length() > MAX_GLOB_LENGTH) {
            return List.of(Candidate.rejected(entry, null, "glob longer than " + MAX_GLOB_LENGTH + " characters"));
        }
        String base = literalPrefix(entry);
        Glob glob;
        try {
            glob = Glob.compile(entry.substring(base.length()).replaceFirst("^/+", ""));
        } catch (Glob.Invalid e) {
            return List.of(Candidate.rejected(entry, null, "glob not accepted: " + e.getMessage()));
        }
        if (glob.wildcards() > MAX_WILDCARDS) {
            return List.of(Candidate.rejected(
                    entry,
                    null,
                    "glob with more than " + MAX_WILDCARDS + " wildcards (each *, **, ? and [...] counts)"));
        }
        if (glob.depth() != Glob.ANY_DEPTH && glob.depth() > MAX_DEPTH) {
            return List.of(Candidate.rejected(entry, null, "glob deeper than " + MAX_DEPTH + " folders"));
        }
        Optional<Path> dir = roots.resolveInput(baseOf(entry));
        if (dir.isEmpty()) {
            return List.of(Candidate.rejected(entry, null, "outside the allowed input roots"));
        }
        if (!Files.isDirectory(dir.get())) {
            return List.of(Candidate.rejected(entry, dir.get(), FOLDER_NOT_FOUND));
        }
        Path root = dir.get();
        List<Path> matched;
        try {
            matched = walk(root, glob, Math.min(glob.depth(), MAX_DEPTH), deadline);
        } catch (IOException e) {
            return List.of(Candidate.rejected(entry, root, UNREADABLE + e.getMessage()));
        }
        List<Candidate> files = matched.stream()
                .sorted()
                .limit(MAX_FILES + 1L)
                .map(f -> new Candidate(entry, f, null))
                .toList();
        return files.isEmpty() ? List.of(Candidate.rejected(entry, root, "no files match")) : files;
    }

    /**
     * The files below {@code root} the glob matches, hidden ones and those in hidden folders left
     * out (hidden folders are not even read). Links are not followed into folders.
     */
    private static List<Path> walk(Path root, Glob glob, int depth, ExpansionDeadline deadline)
            throws IOException, ExpansionDeadline.Passed {
        GlobWalk walk = new GlobWalk(root, glob, deadline);
        Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), depth, walk);
        if (walk.passed != null) {
            throw walk.passed;
        }
        return walk.matched;
    }

    /** A visitor cannot throw the deadline's exception: it ends the walk and keeps it for {@link #walk}. */
    private static final class GlobWalk extends SimpleFileVisitor<Path> {
        private final Path root;
        private final Glob glob;
        private final ExpansionDeadline deadline;
        private final List<Path> matched = new ArrayList<>();
        private ExpansionDeadline.Passed passed;

        GlobWalk(Path root, Glob glob, ExpansionDeadline deadline) {
            this.root = root;
            this.glob = glob;
            this.deadline = deadline;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            if (over()) {
                return FileVisitResult.TERMINATE;
            }
            return d.equals(root) || !hidden(d.getFileName()) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
            if (over()) {
                return FileVisitResult.TERMINATE;
            }
            // The match first: it costs no system call, and most files of a big tree fail it.
            if (!hidden(f.getFileName())
                    && glob.matches(slashed(root.relativize(f)))
                    && (attrs.isRegularFile() || Files.isRegularFile(f))) {
                matched.add(f);
            }
            return FileVisitResult.CONTINUE;
        }

        private boolean over() {
            try {
                deadline.check();
                return false;
            } catch (ExpansionDeadline.Passed e) {
                passed = e;
                return true;
            }
        }
    }

    /** The path with '/' between its names, whatever the platform's separator: what globs are written with. */
    private static String slashed(Path relative) {
        StringBuilder b = new StringBuilder();
        for (Path part : relative) {
            b.append(b.isEmpty() ? "" : "/").append(part);
        }
        return b.toString();
    }

    static boolean isGlob(String s) {
        return s.chars().anyMatch(c -> GLOB_CHARS.indexOf(c) >= 0);
    }

    /** The folder a glob entry starts from ("." for a bare pattern), or the entry itself. */
    static String baseOf(String entry) {
        String base = literalPrefix(entry);
        return base.isEmpty() ? "." : base;
    }

    /** The entry up to the last '/' before its first glob character (the whole entry if it has none). */
    static String literalPrefix(String s) {
        int first = -1;
        for (int i = 0; i < s.length(); i++) {
            if (GLOB_CHARS.indexOf(s.charAt(i)) >= 0) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return s;
        }
        int slash = s.lastIndexOf('/', first);
        return slash < 0 ? "" : s.substring(0, slash + 1);
    }

    /** A glob may not climb: '..' after the literal part could match outside its base. */
    static boolean escapesWithGlob(String s) {
        if (!isGlob(s)) {
            return false;
        }
        String rest = s.substring(literalPrefix(s).length());
        return Stream.of(rest.split("/")).anyMatch(part -> part.equals(".."));
    }

    private static boolean hidden(Path name) {
        return name.toString().startsWith(".");
    }

    private static boolean videoExtension(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && VIDEO_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
