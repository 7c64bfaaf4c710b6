package io.dmlp.datalake.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dmlp.datalake.config.DatalakeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;

/**
 * Column statistics already computed, per table snapshot. An Iceberg snapshot never changes, so what was computed
 * for one stays true: a repeated call on an unchanged table is answered from memory, and an append or a delete
 * makes a new snapshot, which is simply another key. The key names the table in full (its namespace is
 * {@code <schema>.<tenant id>}) with its UUID, and callers look up only a table the caller was allowed to load:
 * no tenant reads another's entry. Bounded by {@link DatalakeConfig#cachedStatistics()}; hits and misses are the
 * metric {@code cache.gets} of cache {@value #NAME}.
 */
@ApplicationScoped
public class StatisticsCache {

    static final String NAME = "datalake.statistics";

    private enum Kind {
        NUMERIC, DISTINCT
    }

    private record Key(String table, UUID tableUuid, long snapshotId, int fieldId, Kind kind) {
    }

    private final Cache<Key, Object> entries;

    public StatisticsCache(DatalakeConfig config, MeterRegistry meters) {
        this.entries = Caffeine.newBuilder().maximumSize(config.cachedStatistics()).recordStats().build();
        CaffeineCacheMetrics.monitor(meters, entries, NAME);
    }

    public ColumnStatistics.Numeric numeric(Table table, Types.NestedField column,
            Supplier<ColumnStatistics.Numeric> compute) {
        return get(table, column, Kind.NUMERIC, ColumnStatistics.Numeric.class, compute);
    }

    public ColumnStatistics.Distinct distinct(Table table, Types.NestedField column,
            Supplier<ColumnStatistics.Distinct> compute) {
        return get(table, column, Kind.DISTINCT, ColumnStatistics.Distinct.class, compute);
    }

    /**
     * The cached statistic of the table's current snapshot, else {@code compute}'s, kept. Not computed under the
     * cache's lock: a scan takes seconds, and two identical first calls at once both scan (within the scan slots).
     */
    private <T> T get(Table table, Types.NestedField column, Kind kind, Class<T> type, Supplier<T> compute) {
        Snapshot snapshot = table.currentSnapshot();
        if (snapshot == null) {
            return compute.get(); // no data yet: nothing to scan, nothing worth keeping
        }
        Key key = new Key(table.name(), table.uuid(), snapshot.snapshotId(), column.fieldId(), kind);
        Object cached = entries.getIfPresent(key);
        if (cached != null) {
            return type.cast(cached);
        }
        T computed = compute.get();
        entries.put(key, computed);
        return computed;
    }
}
