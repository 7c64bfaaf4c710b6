package io.dmlp.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentDispositionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "plain.csv                | attachment; filename=\"plain.csv\"; filename*=UTF-8''plain.csv",
        "Zürich 日本.csv          | attachment; filename=\"Zurich __.csv\"; filename*=UTF-8''Z%C3%BCrich%20%E6%97%A5%E6%9C%AC.csv",
        "say \"hi\"\\.csv         | attachment; filename=\"say _hi__.csv\"; filename*=UTF-8''say%20%22hi%22%5C.csv",
        "trailing\\               | attachment; filename=\"trailing_\"; filename*=UTF-8''trailing%5C",
        "100%; x=y.csv            | attachment; filename=\"100_; x=y.csv\"; filename*=UTF-8''100%25%3B%20x%3Dy.csv",
    })
    void staysOneWellFormedHeaderWhateverTheName(String name, String header) {
        assertThat(ContentDisposition.attachment(name)).isEqualTo(header);
    }

    @org.junit.jupiter.api.Test
    void controlCharactersNeverReachTheHeader() {
        String header = ContentDisposition.attachment("a\r\nSet-Cookie: x=1\u0000.csv");

        assertThat(header).isEqualTo("attachment; filename=\"a__Set-Cookie: x=1_.csv\"; "
                + "filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1%00.csv");
        assertThat(header.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
        assertThat(ContentDisposition.attachment(" ")).startsWith("attachment; filename=\"download\"");
    }
}
