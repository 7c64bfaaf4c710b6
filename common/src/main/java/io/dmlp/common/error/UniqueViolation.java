package io.dmlp.common.error;

import io.vertx.pgclient.PgException;

/** Recognises PostgreSQL's unique_violation (SQLState 23505) anywhere in a failure's causes, not by its message. */
public final class UniqueViolation {

    private static final String SQL_STATE = "23505";

    private UniqueViolation() {
    }

    public static boolean in(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg && SQL_STATE.equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
