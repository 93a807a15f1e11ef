package io.vidbatch.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * Live while the heap has room: a coordinator stuck near its heap limit stops making
 * progress without crashing, and a restart (jobs then restart from their checkpoints) is the cure.
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    static final double MAX_HEAP_USED = 0.95;

    @Override
    public HealthCheckResponse call() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        double used = (double) heap.getUsed() / max;
        return HealthCheckResponse.named("heap")
                .withData("usedBytes", heap.getUsed())
                .withData("maxBytes", max)
                .status(used < MAX_HEAP_USED)
                .build();
    }
}
