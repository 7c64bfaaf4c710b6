package io.dmlp.dataset;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.dmlp.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What fuzzing and hostile names send: always a clear 4xx in the one error body, never a 500 or a broken header. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(CatalogStub.class)
class OddInputTest {

    /** attachment; filename="<printable ASCII but quote and backslash>"; filename*=UTF-8''<attr-char or %XX> */
    private static final Pattern RFC_6266 = Pattern.compile(
            "attachment; filename=\"([ !#-\\[\\]-~]*)\"; filename\\*=UTF-8''((?:[A-Za-z0-9!#$&+.^_`|~-]|%[0-9A-F]{2})+)");

    private final TestTokens.Tenant tenant = TestTokens.Tenant.random();
    private final String token = tenant.token(3, "uma", "can_upload_datasets", "can_view");

    /** Uploads one file under {@code fileName}, sent as RFC 8187 {@code filename*} so that any name can be. */
    private long upload(String fileName) {
        String body = "--B\r\nContent-Disposition: form-data; name=\"files\"; filename*=UTF-8''"
                + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20")
                + "\r\nContent-Type: text/csv\r\n\r\nCustomerID,DataUsageGB,Active,Since\nC-1,1.5,true,2025-01-02\n\r\n--B--\r\n";
        return given().auth().oauth2(token).contentType("multipart/form-data; boundary=B")
                .queryParam("dataset_name", "names " + UUID.randomUUID()).queryParam("usage", "t")
                .queryParam("template_id", 5).body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/dataset/upload").then().statusCode(200)
                .body("files[0].file_name", equalTo(fileName)).extract().jsonPath().getLong("files[0].id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rapport \"final\".csv", "C:\\data\\x.csv", "Zürich 日本 €.csv", "a\r\nSet-Cookie: x=1.csv",
        "50% off; filename=evil.exe.csv", "tab\there.csv"})
    void aDownloadNamesTheFileAsUploadedInOneWellFormedHeader(String fileName) {
        long fileId = upload(fileName);
        String key = given().auth().oauth2(token).queryParam("file_id", fileId)
                .when().get("/api/v1/files/get_file_by_id").then().statusCode(200).extract().path("csv_file_path");

        Response download = given().auth().oauth2(token).queryParam("file_path", key)
                .when().get("/api/v1/files/download");

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().getValues("Set-Cookie")).isEmpty();
        List<String> dispositions = download.headers().getValues("Content-Disposition");
        assertThat(dispositions).hasSize(1);
        Matcher parts = RFC_6266.matcher(dispositions.get(0));
        assertThat(parts.matches()).as(dispositions.get(0)).isTrue();
        assertThat(URLDecoder.decode(parts.group(2).replace("+", "%2B"), StandardCharsets.UTF_8)).isEqualTo(fileName);
        assertThat(parts.group(1)).hasSameSizeAs(fileName.codePoints().toArray());
    }

    @org.junit.jupiter.api.Test
    void theFallbackNameIsPlainAscii() {
        long fileId = upload("Résumé \"2025\"\\.csv");
        String key = given().auth().oauth2(token).queryParam("file_id", fileId)
                .when().get("/api/v1/files/get_file_by_id").then().extract().path("csv_file_path");

        given().auth().oauth2(token).queryParam("file_path", key).when().get("/api/v1/files/download")
                .then().statusCode(200).header("Content-Disposition",
                        "attachment; filename=\"Resume _2025__.csv\"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%222025%22%5C.csv");
    }

    /** Uploads {@code csv} without a template, so that its schema is inferred. */
    private Response inferring(String name, String csv) {
        return given().auth().oauth2(token).queryParam("dataset_name", name).queryParam("usage", "t")
                .multiPart("files", "wide.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv")
                .when().post("/api/v1/dataset/upload");
    }

    private static String csv(List<String> header) {
        return String.join(",", header) + "\n" + String.join(",", header.stream().map(h -> "1").toList()) + "\n";
    }

    @org.junit.jupiter.api.Test
    void anInferredSchemaIsBoundedInColumnsAndNameLengthAndARefusalLeavesNothing() {
        String name = "wide " + UUID.randomUUID();
        List<String> tooWide = java.util.stream.IntStream.rangeClosed(1, 1_001).mapToObj(i -> "c" + i).toList();
        inferring(name, csv(tooWide)).then().statusCode(422).body("status_code", equalTo(422))
                .body("message", equalTo("The header has 1001 columns; a schema inferred without a template may have "
                        + "at most 1000 (dmlp.dataset.inferred-schema.max-columns)."));
        inferring(name, csv(List.of("id", "é".repeat(129)))).then().statusCode(422)
                .body("message", equalTo("Column 2 of the header has a name of 129 characters; a schema inferred "
                        + "without a template allows at most 128 (dmlp.dataset.inferred-schema.max-column-name-length)."));
        given().auth().oauth2(token).when().get("/api/v1/dataset/list").then().body("total", equalTo(0));

        // the same name is free: nothing half-done was left, and the limits themselves are allowed
        inferring(name, csv(List.of("id", "é".repeat(128)))).then().statusCode(200)
                .body("files[0].total_fields", equalTo(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"é", "raw/ü/日本.csv", "\u0000", "a\u0000b", "\ud800", "💥", "\u202e.csv"})
    void downloadingANonAsciiPathIsANotFound(String path) {
        given().auth().oauth2(token).queryParam("file_path", path)
                .when().get("/api/v1/files/download").then().statusCode(404).body("status_code", equalTo(404));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/dataset/upload?dataset_name=x&usage=t&template_id=5", "/api/v1/files/add?dataset_id=1"})
    void aMalformedMultipartBodyIsABadRequest(String path) {
        String[][] bodies = {
            {"multipart/form-data; boundary=XYZ", "garbage without any boundary"},
            {"multipart/form-data; boundary=XYZ", "--XYZ\r\nContent-Disposition: form-data; name=\"files\"; "
                    + "filename=\"a.csv\"\r\n\r\nA,B\r\n1,2"}, // never closed
            {"multipart/form-data; boundary=XYZ", "--XYZ\r\nno header end"},
            {"multipart/form-data", "--XYZ\r\n\r\n--XYZ--\r\n"}, // no boundary parameter
            {"multipart/form-data; boundary=", ""},
            {"multipart/form-data; boundary=XYZ", "--XYZ\r\nNone--XYZ--\r\n"}, // a header line without a colon
        };
        for (String[] body : bodies) {
            Response answer = given().auth().oauth2(token).contentType(body[0])
                    .body(body[1].getBytes(StandardCharsets.UTF_8)).when().post(path);
            assertThat(answer.statusCode()).as(body[0] + " / " + body[1] + ": " + answer.asString())
                    .isIn(400, 415, 422);
            assertThat(answer.jsonPath().getInt("status_code")).isEqualTo(answer.statusCode());
        }
    }
}
