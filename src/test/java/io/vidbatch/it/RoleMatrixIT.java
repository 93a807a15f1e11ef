package io.vidbatch.it;

import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The role matrix ({@link RoleMatrix}) on the IT server, whose users are the basic registry's.
 * The table it checks is written to target/reliability/role-matrix.md (docs/reliability.md is
 * made from it).
 */
@MicroShedTest
class RoleMatrixIT {

    @Test
    void everyCallerGetsExactlyTheAnswerItShouldFromEveryEndpoint() throws Exception {
        Path out = Path.of("target/reliability/role-matrix.md");
        List<String> wrong = RoleMatrix.check(
                Api.Server.main(), "https://localhost:" + System.getProperty("microshed_https_port"), Api::as, out);
        assertThat(wrong)
                .as("calls answered otherwise than designed (table: " + out + ")")
                .isEmpty();
    }

    @Test
    void noPasswordIsWrittenToAnyLogOrJobLog() throws Exception {
        // Every user above signed in with Basic auth (and the console with a form) many times by now.
        Path logs = Path.of("target/liberty/wlp/usr/servers/vidbatch-it/logs");
        List<String> secrets = RoleMatrix.WHO.stream()
                .filter(w -> !w.equals("anonymous"))
                .map(Api::password)
                .toList();
        List<String> found = new ArrayList<>();
        try (var files = Files.walk(logs)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                secrets.stream().filter(text::contains).forEach(p -> found.add(f + ": " + p));
            }
        }
        assertThat(found).isEmpty();
    }
}
