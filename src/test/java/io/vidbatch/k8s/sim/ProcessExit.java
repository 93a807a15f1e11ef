package io.vidbatch.k8s.sim;

import java.time.Instant;

/**
 * A pod's process ended (exited) and the kubelet wrote the terminated state to the API
 * (reported): the start of what a benchmark measures as "pod finished -> coordinator noticed".
 */
public record ProcessExit(String namespace, String pod, int exitCode, Instant exited, Instant reported) {
}
