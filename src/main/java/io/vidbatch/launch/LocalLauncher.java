package io.vidbatch.launch;

import io.vidbatch.media.StoppedException;
import io.vidbatch.media.ToolFailureException;
import io.vidbatch.media.Tools;
import io.vidbatch.work.ItemRunner;
import io.vidbatch.work.Launch;
import io.vidbatch.work.Outcome;
import io.vidbatch.work.WorkItem;

import java.util.List;

/** Runs items in the coordinator itself: the zero set-up default. */
public final class LocalLauncher implements Launcher {

    private final ItemRunner runner;

    public LocalLauncher(Tools tools) {
        this.runner = new ItemRunner(tools, "local:" + ItemRunner.hostName());
    }

    @Override
    public List<Outcome> run(List<WorkItem> group, Launch launch) throws ToolFailureException, StoppedException {
        return runner.run(group, launch);
    }
}
