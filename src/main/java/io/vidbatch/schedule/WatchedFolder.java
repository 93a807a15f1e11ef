package io.vidbatch.schedule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What arrived in a watched folder since the schedule's earlier runs, and is complete. */
final class WatchedFolder {

    private WatchedFolder() {}

    /**
     * The files not taken before whose size held still for {@code settle}, with that size: a file
     * still being written (its size changing) is left for the next run.
     */
    static Map<String, Long> arrived(List<Path> files, Set<String> taken, Duration settle) throws InterruptedException {
        Map<String, Long> before =
                sizes(files.stream().filter(f -> !taken.contains(f.toString())).toList());
        if (before.isEmpty()) {
            return before;
        }
        Thread.sleep(settle.toMillis());
        Map<String, Long> after = sizes(before.keySet().stream().map(Path::of).toList());
        after.entrySet().removeIf(e -> !e.getValue().equals(before.get(e.getKey())));
        return after;
    }

    private static Map<String, Long> sizes(List<Path> files) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Path f : files) {
            try {
                out.put(f.toString(), Files.size(f));
            } catch (IOException e) {
                // gone since it was listed: nothing to take
            }
        }
        return out;
    }
}
