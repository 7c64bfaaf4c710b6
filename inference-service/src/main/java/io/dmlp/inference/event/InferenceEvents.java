package io.dmlp.inference.event;

/**
 * Where inference's events go: the batch and forecast jobs' transitions
 * ({@code io.dmlp.inference.batch_prediction.<status>.v1}, {@code io.dmlp.inference.forecast.<status>.v1}), through
 * the shared job lifecycle's outbox.
 */
public final class InferenceEvents {

    public static final String TOPIC = "dmlp.inference.events";
    public static final String DOMAIN = "inference";

    private InferenceEvents() {
    }
}
