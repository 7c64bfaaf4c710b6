package io.dmlp.datalake.rest;

import io.dmlp.common.security.Caller;
import io.dmlp.datalake.service.DatalakeService;
import io.dmlp.lakehouse.Lakehouse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The datalake browser (API guide module 10). Parameter names are the guide's: {@code schema_name},
 * {@code table_name}, {@code column_name}, except distinct-count's {@code schema}, {@code table}, {@code column}.
 * Methods block on the catalog and storage, so they run on worker threads; a failing catalog or store is a 503.
 */
@Path("/api/v1/datalake")
public class DatalakeResource {

    public record NumericStats(String column, long count, Double mean, Double stdDev, Double min, Double max,
            Double median, boolean approximate) {
    }

    public record DistinctCount(String column, long distinctCount, boolean approximate) {
    }

    private final DatalakeService datalake;
    private final JsonWebToken token;

    public DatalakeResource(DatalakeService datalake, JsonWebToken token) {
        this.datalake = datalake;
        this.token = token;
    }

    @GET
    @Path("/schemas")
    public List<String> schemas() {
        return Lakehouse.guarded("read the catalog", () -> datalake.schemas(Caller.of(token)));
    }

    @GET
    @Path("/schemas/tables")
    public List<String> tables(@RestQuery("schema_name") String schema) {
        return Lakehouse.guarded("read the catalog", () -> datalake.tables(Caller.of(token), schema));
    }

    @GET
    @Path("/tables/columns")
    public List<DatalakeService.Column> columns(@RestQuery("schema_name") String schema,
            @RestQuery("table_name") String table) {
        return Lakehouse.guarded("read the catalog", () -> datalake.columns(Caller.of(token), schema, table));
    }

    @GET
    @Path("/table_metadata")
    public DatalakeService.Metadata metadata(@RestQuery("schema_name") String schema,
            @RestQuery("table_name") String table) {
        return Lakehouse.guarded("read the catalog", () -> datalake.metadata(Caller.of(token), schema, table));
    }

    @GET
    @Path("/numeric_stats")
    public NumericStats numericStats(@RestQuery("schema_name") String schema, @RestQuery("table_name") String table,
            @RestQuery("column_name") String column) {
        var stats = Lakehouse.guarded("read the catalog",
                () -> datalake.numericStats(Caller.of(token), schema, table, column));
        return new NumericStats(column, stats.count(), stats.mean(), stats.stdDev(), stats.min(), stats.max(),
                stats.median(), stats.approximate());
    }

    @GET
    @Path("/distinct-count")
    public DistinctCount distinctCount(@RestQuery String schema, @RestQuery String table, @RestQuery String column) {
        var distinct = Lakehouse.guarded("read the catalog",
                () -> datalake.distinctCount(Caller.of(token), schema, table, column));
        return new DistinctCount(column, distinct.distinctCount(), distinct.approximate());
    }

}
