package io.vidbatch.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DownloadsTest {

    @Test
    void anyFileNameGivesAHeaderThatCannotBeBrokenOutOf() {
        assertThat(Downloads.attachment("show-01.mp4"))
                .isEqualTo("attachment; filename=\"show-01.mp4\"; filename*=UTF-8''show-01.mp4");
        // A quote, a backslash, a line break and a star: none reaches the header as itself.
        String hostile = Downloads.attachment("a\"b\\c\r\nSet-Cookie: x*.mp4");
        assertThat(hostile)
                .isEqualTo("attachment; filename=\"a_b_c__Set-Cookie: x*.mp4\"; "
                        + "filename*=UTF-8''a%22b%5Cc%0D%0ASet-Cookie%3A%20x%2A.mp4");
        assertThat(hostile).doesNotContain("\r", "\n");
        // Beyond ASCII: a fallback for old clients, the exact name for the others.
        assertThat(Downloads.attachment("Été à Paris 夏.mp4"))
                .isEqualTo("attachment; filename=\"_t_ _ Paris _.mp4\"; "
                        + "filename*=UTF-8''%C3%89t%C3%A9%20%C3%A0%20Paris%20%E5%A4%8F.mp4");
    }
}
