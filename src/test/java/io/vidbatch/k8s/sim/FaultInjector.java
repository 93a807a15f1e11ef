package io.vidbatch.k8s.sim;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/** Scripted error responses for the next N requests matching a method and a path pattern. */
final class FaultInjector {
    /** BEFORE answers instead of doing the request; AFTER does it, then answers with the error anyway. */
    enum When {
        BEFORE,
        AFTER
    }

    record Fault(String method, Pattern path, int status, When when, AtomicInteger remaining) {}

    private final List<Fault> faults = new CopyOnWriteArrayList<>();

    void add(String method, String pathRegex, int status, int times, When when) {
        faults.add(new Fault(method.toUpperCase(), Pattern.compile(pathRegex), status, when, new AtomicInteger(times)));
    }

    void clear() {
        faults.clear();
    }

    /** Consumes and returns the first matching fault's status, or 0. */
    int take(String method, String path, When when) {
        for (Fault f : faults) {
            if (f.when == when
                    && f.method.equals(method)
                    && f.path.matcher(path).matches()
                    && f.remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return f.status;
            }
        }
        return 0;
    }

    static ApiError error(String method, int status) {
        String reason = status == 409 && method.equals("POST") ? "AlreadyExists" : ApiError.reasonFor(status);
        return new ApiError(status, reason, "injected fault: " + reason, null);
    }
}
