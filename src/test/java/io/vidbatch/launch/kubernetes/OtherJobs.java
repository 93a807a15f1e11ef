package io.vidbatch.launch.kubernetes;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;

import java.util.List;
import java.util.Map;

/** Jobs the launcher did not make (another coordinator's, an older one's), for tests to put in its way. */
public final class OtherJobs {

    private OtherJobs() {}

    /** A Job of this name and these labels (on it and its pods) whose pod ends at once. */
    public static V1Job job(String name, Map<String, String> labels) {
        return new V1Job()
                .metadata(new V1ObjectMeta().name(name).labels(labels))
                .spec(new V1JobSpec()
                        .backoffLimit(0)
                        .template(new V1PodTemplateSpec()
                                .metadata(new V1ObjectMeta().labels(labels))
                                .spec(new V1PodSpec()
                                        .restartPolicy("Never")
                                        .containers(List.of(new V1Container()
                                                .name("worker")
                                                .image("busybox:1.36")
                                                .command(List.of("true")))))));
    }
}
