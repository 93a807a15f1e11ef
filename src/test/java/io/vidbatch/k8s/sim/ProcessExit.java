package io.vidbatch.k8s.sim;

import java.time.Instant;

/**
 * A pod's process ended (exited) and the kubelet wrote the terminated state to the API
 * (reported): the start of what a benchmark measures as "pod finished -> coordinator noticed".
 * With when the pod was created and its process started, a benchmark can tell where a pod's
 * time went.
 */
public record ProcessExit(
        String namespace,
        String pod,
        int exitCode,
        Instant created,
        Instant started,
        Instant exited,
        Instant reported) {}
