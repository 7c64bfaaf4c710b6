package io.dmlp.training.service;

import io.dmlp.jobs.service.JobOwner;
import io.dmlp.training.event.ModelEvents;

/**
 * The owner of one kind of a model's jobs (training, SHAP): its events go to training's topic as
 * {@code io.dmlp.training.<eventPrefix><status>.v1}, beside the model's own events.
 */
interface ModelJobOwner extends JobOwner {

    @Override
    default String topic() {
        return ModelEvents.TOPIC;
    }

    @Override
    default String domain() {
        return ModelEvents.DOMAIN;
    }
}
