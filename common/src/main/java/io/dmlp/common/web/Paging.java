package io.dmlp.common.web;

import io.dmlp.common.error.UnprocessableEntityException;

/** The {@code skip}/{@code limit} parameters every list endpoint takes. */
public final class Paging {

    public static final int MAX_LIMIT = 1000;

    private Paging() {
    }

    /** 422 unless {@code skip >= 0} and {@code 1 <= limit <= MAX_LIMIT}. */
    public static void check(int skip, int limit) {
        if (skip < 0 || limit < 1 || limit > MAX_LIMIT) {
            throw new UnprocessableEntityException("skip must be >= 0 and limit between 1 and " + MAX_LIMIT + ".");
        }
    }
}
