package io.vidbatch.job;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.JobStartException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TranscodeJobTest {

    private final AtomicInteger calls = new AtomicInteger();

    /** A JobOperator whose start fails with the given cause the first {@code failures} times. */
    private JobOperator failing(int failures, Throwable cause) {
        return (JobOperator) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {JobOperator.class}, (p, m, args) -> {
                    if (!m.getName().equals("start")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    if (calls.incrementAndGet() <= failures) {
                        throw new JobStartException(cause);
                    }
                    return 42L;
                });
    }

    @Test
    void aStartTheRepositoryRolledBackIsTriedAgain() {
        // As Derby reports it: a lock timeout under the JPA exception Liberty wraps it in.
        Throwable derby = new RuntimeException(
                "PersistenceException", new SQLTransactionRollbackException("A lock could not be obtained", "40XL1"));
        assertThat(TranscodeJob.start(failing(2, derby), new Properties())).isEqualTo(42L);
        assertThat(calls).hasValue(3);
    }

    @Test
    void aFailedCommitIsTriedAgainToo() {
        // As Liberty reports it when the commit fails: PersistenceException(RollbackException), no SQL error chained.
        Throwable commit = new RuntimeException("PersistenceException", new jakarta.transaction.RollbackException());
        assertThat(TranscodeJob.start(failing(1, commit), new Properties())).isEqualTo(42L);
        assertThat(calls).hasValue(2);
    }

    @Test
    void itGivesUpAfterThreeAttempts() {
        Throwable deadlock = new SQLException("deadlock detected", "40P01");
        assertThatThrownBy(() -> TranscodeJob.start(failing(5, deadlock), new Properties()))
                .isInstanceOf(JobStartException.class);
        assertThat(calls).hasValue(TranscodeJob.START_ATTEMPTS);
    }

    @Test
    void otherFailuresAreNotRetried() {
        Throwable broken = new SQLException("relation does not exist", "42P01");
        assertThatThrownBy(() -> TranscodeJob.start(failing(1, broken), new Properties()))
                .isInstanceOf(JobStartException.class);
        assertThat(calls).hasValue(1);
    }
}
