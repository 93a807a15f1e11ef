package io.vidbatch.launch;

import io.vidbatch.config.Settings;
import io.vidbatch.media.StoppedException;
import io.vidbatch.media.ToolFailureException;
import io.vidbatch.work.ItemRunner;
import io.vidbatch.work.Launch;
import io.vidbatch.work.Outcome;
import io.vidbatch.work.WorkItem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.List;

/** Runs items in the coordinator itself: the zero set-up default. */
@ApplicationScoped
@Named(Launchers.LOCAL)
public class LocalLauncher implements Launcher {

    @Inject
    Settings settings;

    private volatile ItemRunner runner;

    @Override
    public List<Outcome> run(List<WorkItem> group, Launch launch) throws ToolFailureException, StoppedException {
        ItemRunner r = runner;
        if (r == null) {
            runner = r = new ItemRunner(settings.tools(), "local:" + ItemRunner.hostName());
        }
        return r.run(group, launch);
    }
}
