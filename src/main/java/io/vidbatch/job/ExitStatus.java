package io.vidbatch.job;

/**
 * Exit statuses as Liberty's job repository keeps them: at most 512 characters (its EXITSTATUS
 * columns). A longer one (a node's 253-character name, many failed pods' reasons) would fail
 * the write, and the job's record with it; the whole reason stays in the job log.
 */
public final class ExitStatus {

    public static final int MAX_CHARS = 512;

    private ExitStatus() {}

    public static String of(String status) {
        if (status == null || status.length() <= MAX_CHARS) {
            return status;
        }
        int end = MAX_CHARS - 1;
        if (Character.isHighSurrogate(status.charAt(end - 1))) {
            end--; // never half a character
        }
        return status.substring(0, end) + "…";
    }
}
