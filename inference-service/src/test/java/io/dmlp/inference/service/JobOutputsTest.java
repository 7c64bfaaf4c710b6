package io.dmlp.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** How job outputs are read: the gold table's name and columns, a model's frequency, the stored points. */
class JobOutputsTest {

    private final ObjectMapper json = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({"churn-v1,churn_v1", "Churn Model 2,churn_model_2", "2024 sales,p_2024_sales", "__x__,x",
            "élan,lan", "ééé,p_"})
    void aPredictorsGoldTableIsNamedAsTheLakehouseAllows(String predictor, String table) {
        assertThat(GoldTables.tableName(predictor)).isEqualTo(table);
    }

    @Test
    void theGoldSchemaTakesTheArrowTypesTheJobNames() throws Exception {
        JsonNode columns = json.readTree("[{\"name\": \"customer\", \"type\": \"large_string\"},"
                + " {\"name\": \"prediction\", \"type\": \"bool\"}, {\"name\": \"p\", \"type\": \"float\"},"
                + " {\"name\": \"n\", \"type\": \"int32\"}]");

        var schema = GoldTables.schema(columns);

        assertThat(schema.columns()).extracting(Types.NestedField::name)
                .containsExactly("customer", "prediction", "p", "n");
        assertThat(schema.columns()).extracting(field -> field.type().toString())
                .containsExactly("string", "boolean", "double", "long");
        assertThat(GoldTables.schema(json.readTree("[{\"name\": \"t\", \"type\": \"timestamp[us]\"}]"))).isNull();
    }

    @ParameterizedTest
    @CsvSource({"h,Hour", "H,Hour", "D,Day", "B,Day", "W-SUN,Week", "MS,Month", "ME,Month", "M,Month",
            "QS-OCT,Quarter", "QE-DEC,Quarter", "YE-DEC,Year", "YS,Year", "A-DEC,Year", "2D,Day"})
    void aModelsPandasFrequencyHasTheNameAClientGives(String freq, String name) {
        assertThat(Forecasts.frequency(freq)).isEqualTo(name);
    }

    @Test
    void aFrequencyNoNameCoversIsNone() {
        assertThat(Forecasts.frequency("min")).isNull();
        assertThat(Forecasts.frequency("")).isNull();
    }

    @Test
    void storedPointsBecomeTheGuidesForecastWithBothIntervals() throws Exception {
        JsonNode forecast = json.readTree("{\"series\": [{\"id\": \"a\", \"points\": [], \"x\": 1}, {\"id\": \"b\","
                + " \"points\": [{\"ds\": \"2025-03-01T00:00:00\", \"forecast\": 5.0, \"lo_80\": 4.0,"
                + " \"hi_80\": 6.0, \"lo_95\": 3.0, \"hi_95\": 7.0}, {\"ds\": \"2025-03-01T01:00:00\","
                + " \"forecast\": 6.0}]}]}");

        JsonNode points = Forecasts.points(forecast, "b");
        Forecasts.Answer daily = Forecasts.answer(points, 1, "Day");
        Forecasts.Answer hourly = Forecasts.answer(points, 5, "Hour");

        assertThat(Forecasts.points(forecast, "c")).isNull();
        assertThat(daily.forecast()).containsExactly(
                new Forecasts.Point("2025-03-01", 5.0, 0.95, 3.0, 7.0, 4.0, 6.0));
        assertThat(hourly.forecast()).extracting(Forecasts.Point::date)
                .containsExactly("2025-03-01T00:00:00", "2025-03-01T01:00:00");
    }
}
