package io.vidbatch.it;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same job on a server whose job repository and work items live in PostgreSQL (a second
 * IT server, DB_TYPE=postgres): runs, stops and restarts (through Liberty's batch API) without
 * redoing committed items.
 */
class PostgresIT {

    @Test
    void stopAndRestartOnPostgresRedoNothing() throws Exception {
        Jobs jobs = Jobs.on(Api.Server.postgres());
        List<String> inputs = List.of(
                "samples/screen-480p-noaudio.mp4",
                "samples/portrait-rotated.mp4",
                "samples/phone-vfr.mp4",
                "samples/talk-720p-23976.mp4");
        // Stopped and restarted through Liberty's batch API here (our API on the Derby server).
        long id = RestartScenario.run(jobs, RestartScenario.Via.LIBERTY_API, inputs, Jobs.dir("it-pg"));

        // The work items really are in PostgreSQL, next to Liberty's batch tables.
        String url = "jdbc:postgresql://localhost:" + System.getProperty("vidbatch.it.pg.db.port") + "/vidbatch";
        try (Connection c =
                        DriverManager.getConnection(url, "vidbatch", System.getProperty("vidbatch.it.pg.db.password"));
                PreparedStatement ps = c.prepareStatement(
                        "SELECT state, COUNT(*) FROM vidbatch.vb_item WHERE job_instance = ? GROUP BY state")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("DONE");
                assertThat(rs.getInt(2)).isEqualTo(inputs.size());
                assertThat(rs.next()).as("items in another state").isFalse();
            }
        }
        try (Connection c =
                        DriverManager.getConnection(url, "vidbatch", System.getProperty("vidbatch.it.pg.db.password"));
                ResultSet rs = c.getMetaData().getTables(null, "vidbatch", "%", new String[] {"TABLE"})) {
            List<String> tables = new java.util.ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
            }
            assertThat(tables).contains("vb_item", "vb_input", "vb_job", "wlpjobinstance", "wlpjobexecution");
        }
    }
}
