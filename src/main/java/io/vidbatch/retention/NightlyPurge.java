package io.vidbatch.retention;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RunAs;
import jakarta.ejb.DependsOn;
import jakarta.ejb.ScheduleExpression;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Every night at 03:30 (the server's time zone), purges the job instances that ended more than
 * {@code RETENTION_DAYS} days ago, and what vidbatch kept of jobs purged elsewhere. Off at 0.
 * Runs as the purge identity ({@code @RunAs}, mapped to the user {@code purge.user} in
 * server.xml, a batchAdmin), whose sign-on cookie {@link LibertyBatch} calls Liberty's batch API with.
 */
@Singleton
@Startup
// Under the production profile the guard may stop the server: nothing is purged before it has spoken.
@DependsOn("ProductionGuard")
@TransactionManagement(TransactionManagementType.BEAN) // the purge commits as it goes, outside any transaction
@RunAs("purgeRunAs")
public class NightlyPurge {

    private static final Logger LOG = Logger.getLogger(NightlyPurge.class.getName());

    @Resource
    TimerService timers;

    @Inject
    Purge purge;

    @Inject
    @ConfigProperty(name = "retention.days", defaultValue = "0")
    int days;

    @PostConstruct
    void schedule() {
        if (days > 0) {
            // Not persistent: a night the server was down is made up by the next one.
            timers.createCalendarTimer(new ScheduleExpression().hour(3).minute(30), new TimerConfig(null, false));
            LOG.info(() -> "job instances that ended more than " + days + " days ago are purged every night at 03:30");
        }
    }

    @Timeout
    void run() {
        try {
            Purge.Report r = purge.run(Instant.now().minus(Duration.ofDays(days)), false);
            int swept = purge.sweep();
            if (!r.failed().isEmpty() || swept > 0) {
                LOG.info(() -> "nightly purge: " + r.failed().size() + " not purged " + r.failed() + "; " + swept
                        + " jobs purged elsewhere forgotten");
            }
        } catch (IOException | SQLException | RuntimeException e) {
            // Tomorrow tries again; the jobs are only kept a day longer.
            LOG.warning("nightly purge failed: " + e.getMessage());
        }
    }
}
