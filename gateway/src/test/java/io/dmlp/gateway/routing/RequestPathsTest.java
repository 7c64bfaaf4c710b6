package io.dmlp.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestPathsTest {

    private final RequestPaths callbacks = new RequestPaths(List.of("/api/v1/train/result"));

    @Test
    void matchesTheWaysTheServicesReadAPath() {
        assertThat(List.of("/api/v1/train/result", "/api/v1/train/result/", "/api/v1//train//result",
                "/api/v1/train/result;x=1", "/api/v1/train;a=b/result", "/api/v1/train/result/more"))
                .allMatch(callbacks::matches);
    }

    @Test
    void doesNotMatchNeighbours() {
        assertThat(List.of("/api/v1/train/results", "/api/v1/train/resul", "/api/v1/train", "/api/v1/train/list"))
                .noneMatch(callbacks::matches);
    }
}
