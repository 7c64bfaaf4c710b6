package io.dmlp.training.domain;

/** What a dataset column is to a training run ({@code attribute_name} in the API). */
public enum ColumnRole {
    /** Identifies a row, or a series in a forecast; never learned from. */
    Id,
    /** The value to predict. */
    Target,
    /** An input of a classifier or regressor. */
    Feature,
    /** The time axis of a forecast. */
    Timestamp,
    /** A forecast covariate whose future values are known when forecasting. */
    Exogenous,
    /** Left out. */
    Ignore
}
