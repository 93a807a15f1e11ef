package io.vidbatch.job;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lets one job execution at a time have its first step recorded (see {@link FirstStepGate}). A
 * turn is given back when the execution's plan step runs or when it ends, whichever comes first;
 * the wait for a turn is bounded, so an execution that never gives its turn back holds the others
 * for at most the limit.
 */
@ApplicationScoped
public class FirstStepTurns {

    static final Duration LIMIT = Duration.ofSeconds(10);

    private final Semaphore turn = new Semaphore(1, true);
    private final Set<Long> holders = ConcurrentHashMap.newKeySet();
    private final Duration limit;

    public FirstStepTurns() {
        this(LIMIT);
    }

    FirstStepTurns(Duration limit) {
        this.limit = limit;
    }

    /** Waits for this execution's turn (at most the limit); true when it got one. */
    boolean take(long execution) throws InterruptedException {
        if (turn.tryAcquire(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            holders.add(execution);
            return true;
        }
        return false;
    }

    /** Gives the execution's turn back; nothing when it holds none. */
    public void giveBack(long execution) {
        if (holders.remove(execution)) {
            turn.release();
        }
    }
}
