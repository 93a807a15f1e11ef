package io.vidbatch.k8s.sim;

import java.nio.file.Path;
import java.util.Optional;

/** Where the kubelets keep container logs, for the pods/log endpoint. */
public interface LogSource {
    LogSource NONE = new LogSource() {
        @Override
        public Optional<Path> logFile(String namespace, String pod, String container) {
            return Optional.empty();
        }

        @Override
        public boolean running(String namespace, String pod, String container) {
            return false;
        }
    };

    /** The captured stdout+stderr of a container that has started; empty if it has not. */
    Optional<Path> logFile(String namespace, String pod, String container);

    /** Whether the container may still write (a followed log keeps streaming while it does). */
    boolean running(String namespace, String pod, String container);
}
