package io.vidbatch.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * Live while the heap has room after garbage collection: a coordinator stuck near its heap
 * limit stops making progress without crashing, and a restart (jobs then restart from their
 * checkpoints) is the cure.
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    static final double MAX_HEAP_USED = 0.95;

    /**
     * Judged on what the last collection left, not on the current use: the heap fills up between
     * collections in normal operation, and a probe that saw that would restart a healthy server.
     */
    @Override
    public HealthCheckResponse call() {
        long used = 0;
        long max = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage afterGc = pool.getCollectionUsage();
            if (pool.getType() == MemoryType.HEAP && afterGc != null) {
                used += afterGc.getUsed();
                max += afterGc.getMax() > 0 ? afterGc.getMax() : afterGc.getCommitted();
            }
        }
        boolean live = max == 0 || (double) used / max < MAX_HEAP_USED;
        return HealthCheckResponse.named("heap")
                .withData("usedAfterLastGcBytes", used)
                .withData("maxBytes", max)
                .status(live)
                .build();
    }
}
