package io.vidbatch.launch;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The launchers a job may ask for, by the name users give (the launcher bean's CDI name). */
public enum LauncherKind {
    LOCAL(Launchers.LOCAL),
    PROCESS(Launchers.PROCESS),
    KUBERNETES(Launchers.KUBERNETES);

    private final String id;

    LauncherKind(String id) {
        this.id = id;
    }

    /** The name in job parameters, settings, metrics tags and results. */
    public String id() {
        return id;
    }

    public static Optional<LauncherKind> of(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(LauncherKind::id).toList();
    }
}
