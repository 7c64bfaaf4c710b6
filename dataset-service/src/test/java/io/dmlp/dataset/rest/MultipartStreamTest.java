package io.dmlp.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmlp.common.error.BadRequestException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming multipart reader: the parts a form parser would see, however the bytes arrive. */
class MultipartStreamTest {

    private static InputStream arriving(String body, int piece) {
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, piece));
            }
        };
    }

    private static List<String> parts(String body, int piece) throws IOException {
        MultipartStream stream = new MultipartStream(arriving(body, piece), "multipart/form-data; boundary=\"B-1\"");
        List<String> parts = new ArrayList<>();
        for (MultipartStream.Part part = stream.next(); part != null; part = stream.next()) {
            String content = part.name().equals("skipped") ? "(not read)"
                    : new String(part.content().readAllBytes(), StandardCharsets.UTF_8);
            parts.add(part.name() + "|" + part.fileName() + "|" + content);
        }
        return parts;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 100, 1 << 20})
    void partsWithTheirNamesAndContentWhateverTheReadSizes(int piece) throws IOException {
        String body = "preamble\r\n--B-1\r\n"
                + "Content-Disposition: form-data; name=\"files\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + "x,y\r\n1,2\r\n--B-\r\n"
                + "\r\n--B-1  \r\n"
                + "Content-Disposition: form-data; name=\"skipped\"\r\n\r\nignored\r\n--B-1\r\n"
                + "content-disposition: form-data; name=files; filename*=UTF-8''Z%C3%BCrich%20%22a%22.csv\r\n\r\n"
                + "\r\n--B-1--\r\nepilogue";

        assertThat(parts(body, piece)).containsExactly(
                "files|a.csv|x,y\r\n1,2\r\n--B-\r\n",
                "skipped|null|(not read)",
                "files|Zürich \"a\".csv|");
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage without any boundary", "--B-1\r\nContent-Disposition: form-data; name=\"files\"\r\n\r\nA,B",
        "--B-1\r\nno header end", "--B-1\r\nNone--B-1--\r\n", "--B-1\r\nContent-Disposition: form-data; name=files; "
            + "filename*=latin1''x\r\n\r\nx\r\n--B-1--"})
    void aBodyItCannotFollowIsABadRequest(String body) {
        assertThatThrownBy(() -> parts(body, 5)).isInstanceOf(BadRequestException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\""})
    void aMissingOrEmptyBoundaryIsABadRequest(String contentType) {
        assertThatThrownBy(() -> new MultipartStream(arriving("", 1), contentType))
                .isInstanceOf(BadRequestException.class);
    }
}
