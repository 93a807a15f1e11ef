package io.vidbatch.media;

/** Which part of a source one encode produces. */
public enum Part {
    /** The whole file, picture and sound, straight to the final output. */
    WHOLE,
    /** The picture of one keyframe-aligned segment; joined with the others when all are done. */
    VIDEO_SEGMENT,
    /** A stretch of the picture encoded to every rung of a ladder, from one decode. */
    LADDER_CHUNK,
    /** The sound of the whole file, encoded once so segment joins cannot shift or drop audio. */
    AUDIO
}
