package io.vidbatch.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutputNamesTest {

    @TempDir
    Path dir;

    @Test
    void twoJobsPlanningTheSameNameGetTwoNamesAndAFileOnDiskIsNeverTaken() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path claims = dir.resolve("claims");
        Files.writeString(out.resolve("intro-h264-720p.mp4"), "a user's own file");

        Path first = new OutputNames(out, claims, 1).next("intro", "-h264-720p.mp4");
        Path second = new OutputNames(out, claims, 2).next("intro", "-h264-720p.mp4");

        assertThat(first.getFileName()).hasToString("intro-2-h264-720p.mp4");
        assertThat(second.getFileName()).hasToString("intro-3-h264-720p.mp4");
        // Planning again (a restart) takes the job's own claim back; another job does not.
        assertThat(new OutputNames(out, claims, 1).next("intro", "-h264-720p.mp4"))
                .isEqualTo(first);
        OutputNames.release(claims, 1, List.of(first));
        assertThat(new OutputNames(out, claims, 3).next("intro", "-h264-720p.mp4"))
                .isEqualTo(first);
    }

    @Test
    void aFolderReachedThroughALinkHasOneClaimPerName() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), out);
        Path claims = dir.resolve("claims");

        Path a = new OutputNames(out, claims, 1).next("clip", "-h264-720p.mp4");
        Path b = new OutputNames(link, claims, 2).next("clip", "-h264-720p.mp4");

        assertThat(a.getFileName()).hasToString("clip-h264-720p.mp4");
        assertThat(b.getFileName()).hasToString("clip-2-h264-720p.mp4");
    }

    @Test
    void aLongNameIsCutToFitWithItsTemporaryAndThumbnailNamesNeverInsideACharacter() throws Exception {
        String stem = "動画".repeat(60); // 360 bytes
        Path name = new OutputNames(dir, dir.resolve("claims"), 1).next(stem, "-h264-720p.mp4");

        byte[] bytes = name.getFileName().toString().getBytes(StandardCharsets.UTF_8);
        assertThat(bytes.length).isLessThanOrEqualTo(OutputNames.MAX_NAME_BYTES);
        assertThat(name.getFileName().toString()).endsWith("-h264-720p.mp4").startsWith("動画動画");
        // The name, its temporary file and a thumbnail can all be created.
        Files.writeString(name, "x");
        Files.writeString(name.resolveSibling("." + name.getFileName() + ".abcdef12.part"), "x");
        String out = name.getFileName().toString();
        Files.writeString(
                name.resolveSibling("." + out.substring(0, out.lastIndexOf('.')) + "-thumb12.jpg.abcdef12.part"), "x");
    }
}
