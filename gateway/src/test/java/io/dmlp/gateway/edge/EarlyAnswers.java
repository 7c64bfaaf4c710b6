package io.dmlp.gateway.edge;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The gateway in front of {@link EarlyAnswerStub}. */
public class EarlyAnswers implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(EarlyAnswerStub.class));
    }
}
