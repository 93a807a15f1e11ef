package io.vidbatch.api;

import io.vidbatch.config.Roots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LadderFilesTest {

    @TempDir
    Path dir;

    @Test
    void thePackagersNamesAreServedWithTheirTypes() {
        assertThat(LadderFiles.contentType("master.m3u8")).contains("application/vnd.apple.mpegurl");
        assertThat(LadderFiles.contentType("media_0.m3u8")).contains("application/vnd.apple.mpegurl");
        assertThat(LadderFiles.contentType("media_123.m3u8")).contains("application/vnd.apple.mpegurl");
        assertThat(LadderFiles.contentType("manifest.mpd")).contains("application/dash+xml");
        assertThat(LadderFiles.contentType("init-0.m4s")).contains("video/mp4");
        assertThat(LadderFiles.contentType("init-12.m4s")).contains("video/mp4");
        assertThat(LadderFiles.contentType("seg-0-00001.m4s")).contains("video/mp4");
        assertThat(LadderFiles.contentType("seg-999-99999.m4s")).contains("video/mp4");
        assertThat(LadderFiles.contentType("subs_1.m3u8")).contains("application/vnd.apple.mpegurl");
        assertThat(LadderFiles.contentType("subs-1.vtt")).contains("text/vtt");
        assertThat(LadderFiles.contentType("worst-h264-720p.jpg")).contains("image/jpeg");
        assertThat(LadderFiles.contentType("worst-hevc-2160p.jpg")).contains("image/jpeg");
        assertThat(LadderFiles.contentType("worst-av1-360p.jpg")).contains("image/jpeg");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ".",
                "..",
                "../x",
                "../master.m3u8",
                "..%2fmaster.m3u8",
                "%2e%2e",
                "%2e%2e%2fmaster.m3u8",
                "seg-1-00001.m4s/..",
                "seg-1-00001.m4s/../../etc/passwd",
                "/etc/passwd",
                "sub/master.m3u8",
                "sub\\master.m3u8",
                "master.m3u8\n",
                "master.m3u8\u0000",
                " master.m3u8",
                "Master.m3u8",
                "masterXm3u8",
                "master.m3u8.bak",
                "media_.m3u8",
                "media_1234.m3u8",
                "media_-1.m3u8",
                "media_\u0661.m3u8",
                "init-.m4s",
                "init-1000.m4s",
                "seg-1-0001.m4s",
                "seg-1-000001.m4s",
                "seg-1000-00001.m4s",
                "seg-1-00001.mp4",
                "worst-0.jpg",
                "worst-h264-720p.jpg.part",
                "worst-vp9-720p.jpg",
                "subs-.vtt",
                "subs-1.srt",
                "report.json",
                "manifest.mpd.tmp",
            })
    void anyOtherNameIsRefused(String name) {
        assertThat(LadderFiles.contentType(name)).as("'%s'", name).isEmpty();
    }

    @Test
    void longAndMissingNamesAreRefused() {
        assertThat(LadderFiles.contentType(null)).isEmpty();
        assertThat(LadderFiles.contentType("seg-1-00001.m4s".repeat(1000))).isEmpty();
        assertThat(LadderFiles.contentType("media_" + "0".repeat(10_000) + ".m3u8"))
                .isEmpty();
    }

    @Test
    void aFileOfThePublishedFolderIsFoundThere() throws IOException {
        Path ladder = Files.createDirectories(dir.resolve("out/film-ladder"));
        Files.writeString(ladder.resolve("master.m3u8"), "#EXTM3U\n");
        assertThat(files().ladderFile(ladder, "master.m3u8"))
                .contains(ladder.toRealPath().resolve("master.m3u8"));
        assertThat(files().ladderFile(ladder, "media_0.m3u8")).as("not there").isEmpty();
    }

    @Test
    void aNameOutsideThePatternsIsNotLookedUpEvenWhenItsFileExists() throws IOException {
        Path ladder = Files.createDirectories(dir.resolve("out/film-ladder"));
        Files.writeString(ladder.resolve("notes.txt"), "private");
        Files.writeString(dir.resolve("out/master.m3u8"), "#EXTM3U\n");
        assertThat(files().ladderFile(ladder, "notes.txt")).isEmpty();
        assertThat(files().ladderFile(ladder, "../master.m3u8")).isEmpty();
    }

    @Test
    void aSymlinkOrAFolderInThePublishedFolderIsNotServed() throws IOException {
        Path ladder = Files.createDirectories(dir.resolve("out/film-ladder"));
        Path secret = Files.writeString(dir.resolve("secret.txt"), "private");
        Files.createSymbolicLink(ladder.resolve("master.m3u8"), secret);
        Files.writeString(ladder.resolve("init-0.m4s"), "init");
        Files.createSymbolicLink(ladder.resolve("init-1.m4s"), ladder.resolve("init-0.m4s"));
        Files.createDirectories(ladder.resolve("manifest.mpd"));
        assertThat(files().ladderFile(ladder, "master.m3u8")).isEmpty();
        assertThat(files().ladderFile(ladder, "init-1.m4s"))
                .as("even to a file beside it")
                .isEmpty();
        assertThat(files().ladderFile(ladder, "manifest.mpd")).isEmpty();
        assertThat(files().ladderFile(ladder, "init-0.m4s")).isPresent();
    }

    @Test
    void aFolderOutsideTheOutputRootIsNotServed() throws IOException {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("master.m3u8"), "#EXTM3U\n");
        Files.createDirectories(dir.resolve("out"));
        Path linked = Files.createSymbolicLink(dir.resolve("out/linked-ladder"), elsewhere);
        assertThat(files().ladderFile(elsewhere, "master.m3u8")).isEmpty();
        assertThat(files().ladderFile(linked, "master.m3u8")).isEmpty();
    }

    private JobFiles files() {
        return new JobFiles(new Roots(List.of(dir.resolve("in")), dir.resolve("out")));
    }
}
