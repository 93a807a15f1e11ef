package io.vidbatch.store;

/** Where an input stands, as VB_INPUT keeps it. */
public enum InputState {
    /** Examined and cut into work items. */
    PLANNED,
    /** Refused before any work (missing, not a video, outside the roots, ...): the reason says why. */
    REJECTED,
    /** Every item done, the output assembled and verified. */
    DONE,
    /** Its work or its assembly failed: the reason says why. */
    FAILED
}
