package io.vidbatch.k8s.sim;

/** A finished JSON answer, kept apart from sending so a fault can replace it after the work is done. */
record Reply(int status, String json, String warning) {
    static Reply of(int status, Object body) {
        return new Reply(status, body instanceof String s ? s : Json.write(body), null);
    }
}
