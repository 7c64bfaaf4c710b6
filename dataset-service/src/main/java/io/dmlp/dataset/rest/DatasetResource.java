package io.dmlp.dataset.rest;

import static io.dmlp.common.web.QueryParameters.required;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.openapi.ErrorResponsesFilter;
import io.dmlp.common.security.Caller;
import io.dmlp.common.web.ContentDisposition;
import io.dmlp.common.web.Paging;
import io.dmlp.dataset.domain.Dataset;
import io.dmlp.dataset.domain.DatasetFile;
import io.dmlp.dataset.domain.DatasetWithFiles;
import io.dmlp.dataset.service.DatasetDeletion;
import io.dmlp.dataset.service.DatasetIngest;
import io.dmlp.dataset.service.DatasetQueries;
import io.dmlp.dataset.service.FileContent;
import io.dmlp.dataset.service.UploadedFiles;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.unchecked.Unchecked;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Datasets and their files (API guide modules 6 and 7). */
@Path("/api/v1")
public class DatasetResource {

    public record FileView(long datasetId, long id, String fileName, OffsetDateTime createdAt,
            OffsetDateTime modifiedAt, int totalFields, long totalRecords, boolean isValid, JsonNode errorReport) {
    }

    public record UploadResponse(long datasetId, String datasetName, String dataSource, List<FileView> files) {
    }

    public record DatasetView(String tenantId, String datasetName, int fileCount, boolean isValid, String createdBy,
            Long templateId, String dataSource, String icebergTableName, long id, String templateName,
            OffsetDateTime createdAt, OffsetDateTime modifiedAt, String datasetUsability, String usage,
            String datasetUsage) {
    }

    public record Page<T>(long total, List<T> data) {
    }

    /**
     * {@code dataset_path}: the prefix of the raw files; {@code validated_path}: the silver table's location;
     * {@code dataset_schema}: the columns the files are validated against (the template's, or inferred);
     * {@code usage}, {@code is_valid} and {@code dataset_usability} as the dataset list gives them.
     */
    public record DatasetDetail(long id, String datasetName, String datasetPath, String validatedPath,
            String icebergTableName, String dataSource, Long templateId, Integer templateVersion,
            boolean schemaInferred, JsonNode datasetSchema, String usage, boolean isValid,
            String datasetUsability) {
    }

    public record DatasetPreview(long datasetId, List<Map<String, Object>> preview) {
    }

    /**
     * {@code hdf_file_path}: the file's (first) Parquet data file in the silver table, null when no row was
     * valid; {@code hdf_file_paths}: all of them (a large file is written as several).
     */
    public record FileDetail(long datasetId, long id, String fileName, OffsetDateTime createdAt,
            OffsetDateTime modifiedAt, int totalFields, long totalRecords, long validRecords, boolean isValid,
            JsonNode errorReport, String csvFilePath, String hdfFilePath, List<String> hdfFilePaths) {
    }

    public record Deleted(int statusCode, String message) {
    }

    private final DatasetIngest ingest;
    private final DatasetQueries queries;
    private final FileContent content;
    private final DatasetDeletion deletion;
    private final JsonWebToken token;
    private final ObjectMapper json;
    private final MemorySize maxBody;

    public DatasetResource(DatasetIngest ingest, DatasetQueries queries, FileContent content,
            DatasetDeletion deletion, JsonWebToken token, ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.ingest = ingest;
        this.queries = queries;
        this.content = content;
        this.deletion = deletion;
        this.token = token;
        this.json = json;
        this.maxBody = maxBody;
    }

    /**
     * The multipart form of an upload as the API guide has it: one or more CSV files in the field {@code files}. The
     * body is read while it arrives (see {@link #upload}), not parsed into a form first.
     */
    public record UploadForm(List<byte[]> files) {
    }

    /**
     * Reads the multipart body as it streams in: each file is validated, encoded and stored by a worker thread while
     * its bytes arrive (the body is taken over here, on the event loop, before a byte can pass unread).
     */
    @POST
    @Path("/dataset/upload")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RequestBody(content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = UploadForm.class)))
    @APIResponseSchema(UploadResponse.class)
    @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)
    public Uni<UploadResponse> upload(@RestQuery("dataset_name") String datasetName, @RestQuery String usage,
            @RestQuery("template_id") Long templateId, @RestQuery("iceberg_table_name") String icebergTableName,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @RestHeader(HttpHeaders.CONTENT_TYPE) String contentType, @Context RoutingContext request) {
        Caller caller = Caller.of(token);
        var upload = new DatasetIngest.Upload(datasetName, usage, templateId, icebergTableName,
                files(request, contentType), authorization);
        return onWorker(() -> uploadResponse(ingest.upload(caller, upload)));
    }

    @GET
    @Path("/dataset/list")
    public Uni<Page<DatasetView>> list(@RestQuery @DefaultValue("0") int skip,
            @RestQuery @DefaultValue("100") int limit) {
        return page(false, skip, limit);
    }

    @GET
    @Path("/dataset/list_validated")
    public Uni<Page<DatasetView>> listValidated(@RestQuery @DefaultValue("0") int skip,
            @RestQuery @DefaultValue("100") int limit) {
        return page(true, skip, limit);
    }

    @GET
    @Path("/dataset/get_dataset_by_id")
    public Uni<DatasetDetail> get(@RestQuery("dataset_id") Long datasetId) {
        return queries.get(Caller.of(token), required("dataset_id", datasetId)).map(listed -> {
            Dataset d = listed.dataset();
            String prefix = listed.files().isEmpty() ? null : listed.files().get(0).csvFilePath
                    .substring(0, listed.files().get(0).csvFilePath.lastIndexOf('/') + 1);
            return new DatasetDetail(d.id, d.datasetName, prefix, d.icebergLocation, d.icebergTableName,
                    d.dataSource, d.templateId, d.templateVersion, d.templateId == null, readJson(d.templateSchema),
                    d.usage, listed.valid(), listed.usability());
        });
    }

    /** The first 20 validated rows, typed, from the dataset's silver table. */
    @GET
    @Path("/dataset/view")
    public Uni<DatasetPreview> viewDataset(@RestQuery("dataset_id") Long datasetId) {
        long id = required("dataset_id", datasetId);
        return queries.head(Caller.of(token), id, 20).map(rows -> new DatasetPreview(id, rows));
    }

    @DELETE
    @Path("/dataset/delete/{dataset_id}")
    public Uni<Deleted> delete(@RestPath("dataset_id") long datasetId) {
        return deletion.delete(Caller.of(token), datasetId)
                .replaceWith(new Deleted(200, "Dataset deleted successfully"));
    }

    @GET
    @Path("/files/list")
    public Uni<Page<FileView>> files(@RestQuery("dataset_id") Long datasetId) {
        return queries.get(Caller.of(token), required("dataset_id", datasetId)).map(listed -> new Page<>(
                listed.files().size(), listed.files().stream().map(this::fileView).toList()));
    }

    @GET
    @Path("/files/get_file_by_id")
    public Uni<FileDetail> file(@RestQuery("file_id") Long fileId) {
        return queries.file(Caller.of(token), required("file_id", fileId)).map(f -> {
            List<String> parquet = f.dataFiles == null ? List.of()
                    : json.convertValue(readJson(f.dataFiles), new TypeReference<List<String>>() { });
            return new FileDetail(f.datasetId, f.id, f.fileName, f.createdAt, f.modifiedAt, f.totalFields,
                    f.totalRecords, f.validRecords, f.valid, readJson(f.errorReport), f.csvFilePath,
                    parquet.isEmpty() ? null : parquet.get(0), parquet);
        });
    }

    /** Streams the raw file of a key of the caller's tenant. */
    @GET
    @Path("/files/download")
    @APIResponse(responseCode = "200", description = "The file as uploaded.", content = @Content(mediaType = "text/csv",
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Uni<Response> download(@RestQuery("file_path") String filePath) {
        // The object is read while the response is written: do that on a worker thread, not the event loop.
        return content.downloadable(Caller.of(token), filePath).emitOn(Infrastructure.getDefaultWorkerPool())
                .map(file -> {
            StreamingOutput body = out -> {
                try (InputStream in = content.open(file)) {
                    in.transferTo(out);
                }
            };
            return Response.ok(body, "text/csv")
                    .header("Content-Disposition", ContentDisposition.attachment(file.fileName))
                    .build();
        });
    }

    @POST
    @Path("/files/add")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RequestBody(content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = UploadForm.class)))
    public Uni<UploadResponse> addFiles(@RestQuery("dataset_id") Long datasetId,
            @RestHeader(HttpHeaders.CONTENT_TYPE) String contentType, @Context RoutingContext request) {
        long id = required("dataset_id", datasetId);
        Caller caller = Caller.of(token);
        UploadedFiles.IncomingFiles files = files(request, contentType);
        return onWorker(() -> uploadResponse(ingest.addFiles(caller, id, files)));
    }

    /** Blocking work (an upload read while it arrives) on a worker thread. */
    private static <T> Uni<T> onWorker(Callable<T> work) {
        return Uni.createFrom().item(Unchecked.supplier(work::call))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** The parts named {@code files} of a multipart body, read as it streams in; other parts are skipped. */
    private UploadedFiles.IncomingFiles files(RoutingContext request, String contentType) {
        MultipartStream parts = new MultipartStream(new StreamedBody(request, maxBody.asLongValue()), contentType);
        return () -> {
            for (MultipartStream.Part part = parts.next(); part != null; part = parts.next()) {
                if ("files".equals(part.name())) {
                    return new UploadedFiles.Incoming(part.fileName(), part.content());
                }
            }
            return null;
        };
    }

    private UploadResponse uploadResponse(DatasetWithFiles listed) {
        return new UploadResponse(listed.dataset().id, listed.dataset().datasetName, listed.dataset().dataSource,
                listed.files().stream().map(this::fileView).toList());
    }

    @DELETE
    @Path("/files/delete/{file_id}")
    public Uni<Deleted> deleteFile(@RestPath("file_id") long fileId) {
        return deletion.deleteFile(Caller.of(token), fileId).replaceWith(new Deleted(200, "File deleted successfully"));
    }

    public record Preview(long fileId, List<String> contentPreview) {
    }

    /** The first 20 raw lines of a file. */
    @GET
    @Path("/files/view")
    public Uni<Preview> viewFile(@RestQuery("file_id") Long fileId) {
        long id = required("file_id", fileId);
        return content.preview(Caller.of(token), id, 20).map(lines -> new Preview(id, lines));
    }

    private Uni<Page<DatasetView>> page(boolean validOnly, int skip, int limit) {
        Paging.check(skip, limit);
        return queries.list(Caller.of(token), validOnly, skip, limit).map(page -> new Page<>(page.total(),
                page.datasets().stream().map(listed -> {
                    Dataset d = listed.dataset();
                    return new DatasetView(d.tenantId.toString(), d.datasetName, listed.files().size(),
                            listed.valid(), d.createdBy, d.templateId, d.dataSource, d.icebergTableName, d.id,
                            d.templateName, d.createdAt, d.modifiedAt, listed.usability(), d.usage,
                            "t".equals(d.usage) ? "Training" : "Prediction");
                }).toList()));
    }

    private FileView fileView(DatasetFile f) {
        return new FileView(f.datasetId, f.id, f.fileName, f.createdAt, f.modifiedAt, f.totalFields, f.totalRecords,
                f.valid, readJson(f.errorReport));
    }

    /** JSON this service stored itself (error reports, schemas, data file lists). */
    private JsonNode readJson(String stored) {
        try {
            return stored == null ? null : json.readTree(stored);
        } catch (Exception e) {
            throw new IllegalStateException("Stored JSON is unreadable", e);
        }
    }
}
