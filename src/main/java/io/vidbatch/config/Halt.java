package io.vidbatch.config;

/**
 * Ends the server's JVM on the spot, without Liberty's orderly stop. {@code System.exit} is no
 * use while the application starts: it waits for Liberty's stop, which waits for the application's
 * start to end, which is the thread waiting in {@code exit} (tried: the server hung past its 30 s
 * quiesce). Nothing of ours runs yet and Liberty has opened no port, so there is nothing an orderly
 * stop would save; Derby recovers at its next start like after any crash.
 */
final class Halt {

    /** EX_CONFIG of sysexits.h: the configuration is wrong. What {@code server run}, and a container, exit with. */
    static final int CONFIGURATION = 78;

    private Halt() {}

    static void now() {
        // The reason was logged just before: make sure it is out (console and messages.log) first.
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(CONFIGURATION);
    }
}
