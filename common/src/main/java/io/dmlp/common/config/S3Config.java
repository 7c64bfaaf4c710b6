package io.dmlp.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The S3-compatible object store. Defaults are the local stack's (deploy/local/env.sh). */
@ConfigMapping(prefix = "dmlp.s3")
public interface S3Config {

    /** Endpoint URL, e.g. {@code http://127.0.0.1:59000}; path-style addressing is used. */
    @WithDefault("http://127.0.0.1:59000")
    String endpoint();

    @WithDefault("us-east-1")
    String region();

    /** Access key id. The local default is refused in production. */
    @WithDefault(DevDefaults.S3_ACCESS_KEY)
    String accessKey();

    /** Secret key. The local default is refused in production; never logged. */
    @WithDefault(DevDefaults.S3_SECRET_KEY)
    String secretKey();

    /** Bucket for raw uploads, model artifacts and prediction files. */
    @WithDefault("dmlp")
    String bucket();

    /** Bucket holding the Iceberg warehouse. */
    @WithDefault("lakehouse")
    String lakehouseBucket();
}
