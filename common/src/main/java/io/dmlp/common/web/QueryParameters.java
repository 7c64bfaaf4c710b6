package io.dmlp.common.web;

import io.dmlp.common.error.UnprocessableEntityException;

/** Checks of query parameters shared by every resource. */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** The parameter's value, or a 422 naming it when the request lacks it. */
    public static <T> T required(String name, T value) {
        if (value == null) {
            throw new UnprocessableEntityException("Query parameter '" + name + "' is required.");
        }
        return value;
    }
}
