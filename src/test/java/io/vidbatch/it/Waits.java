package io.vidbatch.it;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import java.time.Duration;

/**
 * How the ITs wait for a condition: asked at once, then every {@code poll}, in the test's own
 * thread (the conditions call the server and the simulated cluster as the test would), for at
 * most {@code atMost}; a timeout names what was awaited.
 */
final class Waits {

    private Waits() {}

    static ConditionFactory await(String what, Duration atMost, Duration poll) {
        return Awaitility.await(what)
                .atMost(atMost)
                .pollDelay(Duration.ZERO)
                .pollInterval(poll)
                .pollInSameThread();
    }
}
