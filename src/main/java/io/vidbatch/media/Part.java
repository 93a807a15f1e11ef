package io.vidbatch.media;

/** Which part of a source one encode produces. */
public enum Part {
    /** The whole file, picture and sound, straight to the final output. */
    WHOLE,
    /** The picture of one keyframe-aligned segment; joined with the others when all are done. */
    VIDEO_SEGMENT,
    /** The sound of the whole file, encoded once so segment joins cannot shift or drop audio. */
    AUDIO
}
