package io.vidbatch.k8s.sim;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** GET .../pods/{name}/log: container, tailLines, limitBytes and follow, with the apiserver's errors. */
final class LogEndpoint {
    private final ObjectStore store;
    private volatile LogSource source = LogSource.NONE;

    LogEndpoint(ObjectStore store) {
        this.store = store;
    }

    void source(LogSource s) {
        source = s;
    }

    void serve(Exchange ex, ApiPath path) throws IOException {
        V1Pod pod = store.peek(path.key());
        if (pod == null) {
            throw ApiError.notFound(ResourceKind.POD, path.name());
        }
        String ns = path.namespace();
        String container = container(pod, ex.param("container"));
        Optional<Path> file = source.logFile(ns, path.name(), container);
        if (file.isEmpty()) {
            throw new ApiError(
                    400,
                    "container \"" + container + "\" in pod \"" + path.name() + "\" is waiting to start: "
                            + waitingReason(pod, container));
        }
        if (ex.flag("follow")) {
            follow(ex, file.get(), ns, path.name(), container);
            return;
        }
        byte[] bytes = Files.readAllBytes(file.get());
        Integer tail = ex.intParam("tailLines");
        if (tail != null) {
            bytes = tail(bytes, tail);
        }
        Integer limit = ex.intParam("limitBytes");
        if (limit != null && limit < bytes.length) {
            bytes = Arrays.copyOf(bytes, limit);
        }
        ex.send(200, "text/plain", bytes);
    }

    private void follow(Exchange ex, Path file, String ns, String pod, String container) throws IOException {
        try (OutputStream out = ex.startStream("text/plain");
                InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[8192];
            for (; ; ) {
                boolean running = source.running(ns, pod, container);
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                }
                out.flush();
                if (!running) {
                    return;
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String container(V1Pod pod, String requested) {
        List<String> names =
                pod.getSpec().getContainers().stream().map(V1Container::getName).toList();
        if (requested == null) {
            if (names.size() != 1) {
                throw new ApiError(
                        400,
                        "a container name must be specified for pod "
                                + pod.getMetadata().getName() + ", choose one of: " + names);
            }
            return names.get(0);
        }
        if (!names.contains(requested)) {
            throw new ApiError(
                    400,
                    "container " + requested + " is not valid for pod "
                            + pod.getMetadata().getName());
        }
        return requested;
    }

    private static String waitingReason(V1Pod pod, String container) {
        if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
            for (V1ContainerStatus s : pod.getStatus().getContainerStatuses()) {
                if (container.equals(s.getName())
                        && s.getState() != null
                        && s.getState().getWaiting() != null) {
                    String reason = s.getState().getWaiting().getReason();
                    if ("ErrImagePull".equals(reason)) {
                        return "trying and failing to pull image";
                    }
                    if ("ImagePullBackOff".equals(reason)) {
                        return "image can't be pulled";
                    }
                }
            }
        }
        return "ContainerCreating";
    }

    private static byte[] tail(byte[] bytes, int lines) {
        int end = bytes.length;
        int scan = end > 0 && bytes[end - 1] == '\n' ? end - 2 : end - 1;
        int seen = 0;
        for (int i = scan; i >= 0; i--) {
            if (bytes[i] == '\n' && ++seen == lines) {
                return Arrays.copyOfRange(bytes, i + 1, end);
            }
        }
        return lines <= 0 ? new byte[0] : bytes;
    }
}
