package io.vidbatch.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** What a run of a watch-folder schedule takes: files no earlier run took, once they are whole. */
class WatchedFolderTest {

    @TempDir
    Path inbox;

    private Path file(String name, int size) throws IOException {
        return Files.write(inbox.resolve(name), new byte[size]);
    }

    @Test
    void takesTheFilesNoEarlierRunTookWithTheirSizes() throws Exception {
        Path a = file("a.mp4", 10);
        Path b = file("b.mp4", 20);
        Path c = file("c.mp4", 30);
        Map<String, Long> arrived = WatchedFolder.arrived(List.of(a, b, c), Set.of(b.toString()), Duration.ZERO);
        assertThat(arrived).containsOnly(entry(a.toString(), 10L), entry(c.toString(), 30L));
    }

    @Test
    void nothingNewWhenEveryFileWasTaken() throws Exception {
        Path a = file("a.mp4", 10);
        assertThat(WatchedFolder.arrived(List.of(a), Set.of(a.toString()), Duration.ZERO))
                .isEmpty();
    }

    @Test
    void aFileGoneSinceItWasListedIsNotTaken() throws Exception {
        Path a = file("a.mp4", 10);
        Path gone = inbox.resolve("gone.mp4");
        assertThat(WatchedFolder.arrived(List.of(a, gone), Set.of(), Duration.ZERO))
                .containsOnlyKeys(a.toString());
    }

    @Test
    void aFileStillBeingWrittenIsLeftForTheNextRun() throws Exception {
        Path whole = file("whole.mp4", 10);
        Path growing = file("growing.mp4", 1);
        AtomicBoolean looked = new AtomicBoolean();
        // Appends without pause until the run has looked: its size changes during any settle time.
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = Files.newOutputStream(growing, StandardOpenOption.APPEND)) {
                while (!looked.get()) {
                    out.write(0);
                    out.flush();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Map<String, Long> arrived;
        try {
            arrived = WatchedFolder.arrived(List.of(whole, growing), Set.of(), Duration.ofMillis(500));
        } finally {
            looked.set(true);
        }
        writer.join();
        assertThat(arrived).containsOnly(entry(whole.toString(), 10L));
        assertThat(WatchedFolder.arrived(List.of(whole, growing), Set.of(whole.toString()), Duration.ZERO))
                .as("once it stopped growing")
                .containsOnly(entry(growing.toString(), Files.size(growing)));
    }
}
