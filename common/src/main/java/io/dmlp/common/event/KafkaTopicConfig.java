package io.dmlp.common.event;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * Which environment's topics this instance uses. Code names the base topics ({@code dmlp.auth.events}, ...);
 * the outbox relay and every consumer prepend the prefix, so a test run ({@code test.}) beside a running
 * platform (no prefix) never feeds the other's consumers.
 */
@ConfigMapping(prefix = "dmlp.kafka")
public interface KafkaTopicConfig {

    /**
     * Prepended to every topic name: empty by default, {@code test.} in the {@code %test} profile. Channels of
     * SmallRye Reactive Messaging use it as {@code topic=${dmlp.kafka.topic-prefix:}dmlp.<domain>.events}.
     */
    Optional<String> topicPrefix();

    /** The topic of this environment for the base name {@code topic}, e.g. {@code test.dmlp.auth.events}. */
    default String topic(String topic) {
        return topicPrefix().orElse("") + topic;
    }
}
