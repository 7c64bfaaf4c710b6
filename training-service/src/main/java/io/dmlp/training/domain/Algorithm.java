package io.dmlp.training.domain;

import io.dmlp.common.error.UnprocessableEntityException;
import java.util.List;
import java.util.Map;

/** The algorithms each problem type trains with ({@code dmlp_jobs.train}); {@code auto} tries them all. */
public final class Algorithm {

    public static final String AUTO = "auto";

    private static final Map<ProblemType, List<String>> BY_PROBLEM = Map.of(
            ProblemType.Classification, List.of("XGBoost", "LightGBM", "RandomForest", "LogisticRegression"),
            ProblemType.Regression, List.of("XGBoost", "LightGBM", "RandomForest", "LinearRegression"),
            ProblemType.Forecast, List.of("AutoARIMA", "AutoETS", "AutoTheta", "SeasonalNaive"));

    private Algorithm() {
    }

    public static List<String> of(ProblemType problem) {
        return BY_PROBLEM.get(problem);
    }

    /**
     * The canonical spelling of {@code name} (any case) for {@code problem}, {@code auto} when none is given; 422
     * naming the field and the choices otherwise.
     */
    public static String parse(String name, ProblemType problem) {
        if (name == null || name.isBlank() || name.equalsIgnoreCase(AUTO)) {
            return AUTO;
        }
        return of(problem).stream().filter(known -> known.equalsIgnoreCase(name.strip())).findFirst()
                .orElseThrow(() -> new UnprocessableEntityException("'algorithm' must be auto or one of "
                        + String.join(", ", of(problem)) + " for " + problem + ", not '" + name + "'."));
    }
}
