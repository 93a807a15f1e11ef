package io.vidbatch.launch;

import io.vidbatch.media.ToolFailureException;
import io.vidbatch.work.Launch;
import io.vidbatch.work.WorkJson;
import io.vidbatch.work.WorkJsonTestAccess;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a worker process is given: its settings, how to find ffmpeg, and nothing of the coordinator's secrets. */
class ProcessLauncherTest {

    @Test
    void aWorkerSeesItsSettingsAndNothingElseOfTheCoordinatorsEnvironment() {
        // printenv as the worker: it prints what a worker would see, then ends without an outcome.
        List<String> lines = new CopyOnWriteArrayList<>();
        Launch launch = new Launch(0, 0, (item, p) -> {}, () -> false, lines::add);
        assertThatThrownBy(() ->
                        new ProcessLauncher(List.of("/usr/bin/printenv")).run(List.of(WorkJsonTestAccess.ITEM), launch))
                .isInstanceOf(ToolFailureException.class);

        List<String> env = lines.stream()
                .filter(l -> l.contains("=") && !l.startsWith("worker process "))
                .toList();
        assertThat(env)
                .contains(
                        "VIDBATCH_ITEMS=" + WorkJson.writeItems(List.of(WorkJsonTestAccess.ITEM)),
                        "VIDBATCH_COORDINATOR_PID=" + ProcessHandle.current().pid());
        assertThat(env)
                .anyMatch(l -> l.startsWith("VIDBATCH_RESULT_FILE="))
                .anyMatch(l -> l.startsWith("VIDBATCH_WORKER_NAME=process@"))
                .anyMatch(l -> l.startsWith("PATH="));
        // The test JVM's environment holds HOME, USER and Maven's own settings: none of them reaches the worker.
        assertThat(env.stream().map(l -> l.substring(0, l.indexOf('='))))
                .allMatch(name -> name.startsWith("VIDBATCH_")
                        || List.of("PATH", "LANG", "LC_ALL", "LC_CTYPE", "XDG_CACHE_HOME")
                                .contains(name));
    }
}
