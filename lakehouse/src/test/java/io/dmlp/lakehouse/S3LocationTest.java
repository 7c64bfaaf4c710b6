package io.dmlp.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The bucket and key of an object's {@code s3://} location, and the locations that name no object. */
class S3LocationTest {

    @Test
    void aLocationGivesItsBucketAndKey() {
        assertThat(S3Location.parse("s3://dmlp/models/8e3c6a39/12/model.onnx"))
                .isEqualTo(new S3Location("dmlp", "models/8e3c6a39/12/model.onnx"));
        assertThat(S3Location.parse("s3://dmlp-lakehouse/gold/t/p/data/00000-0.parquet").bucket())
                .isEqualTo("dmlp-lakehouse");
    }

    @Test
    void theKeyIsTheDecodedPathAsWritten() {
        assertThat(S3Location.parse("s3://dmlp/predictions/a%20b/result.csv").key())
                .isEqualTo("predictions/a b/result.csv");
        assertThat(S3Location.parse("s3://dmlp/a//b/").key()).isEqualTo("a//b/");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
        "",
        "dmlp/models/model.onnx",         // no scheme
        "/models/model.onnx",
        "http://dmlp/models/model.onnx",  // another scheme
        "s3a://dmlp/models/model.onnx",
        "s3://dmlp",                      // no key
        "s3://dmlp/",
        "s3:///models/model.onnx",        // no bucket
        "s3:dmlp/models/model.onnx",      // opaque: no authority
        "s3://user@dmlp/models/model.onnx",
        "s3://dmlp:9000/models/model.onnx",
        "s3://dm lp/models/model.onnx",   // not a URI
        "s3://dmlp/models/a model.onnx",
    })
    void aLocationThatNamesNoObjectIsRefusedNamingIt(String location) {
        assertThatThrownBy(() -> S3Location.parse(location))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Not an s3://bucket/key location: " + location);
    }
}
