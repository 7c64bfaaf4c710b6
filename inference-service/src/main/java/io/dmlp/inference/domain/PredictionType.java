package io.dmlp.inference.domain;

/** How a prediction was asked for; stored and shown lower-case. */
public enum PredictionType {
    realtime, batch, forecast
}
