# One native image per platform service, built from the sources (docs/operations.md#native-builds):
#
#   docker build -f deploy/docker/service-native.Dockerfile --build-arg SERVICE=auth-service \
#     -t dmlp/auth-service:0.1.0-native .
#
# The same SERVICE names as service.Dockerfile, but only the services docs/operations.md lists as native-ready
# compile (the lakehouse's Hadoop and inference's ONNX Runtime keep the others on the JVM image). The build stage
# runs `mvn -Pnative` on the Mandrel builder image Quarkus 3.33 defaults to; native-image wants ~6 GB of memory
# and several minutes per service. Untested here: no Mandrel or GraalVM can be installed on the project's machines.
FROM maven:3.9.11-eclipse-temurin-17 AS maven

FROM quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-25 AS build
ARG SERVICE
# Maven from its own image: the Mandrel image has the JDK and native-image, not Maven.
COPY --from=maven /usr/share/maven /opt/maven
USER root
WORKDIR /code
# The sources only (service-native.Dockerfile.dockerignore leaves out target/, .dmlp/, the console, the tests).
COPY --chown=quarkus:quarkus . .
USER quarkus
RUN /opt/maven/bin/mvn -B -Pnative -pl ${SERVICE} -am package -DskipTests -Djacoco.skip=true

# The runtime Quarkus publishes for native executables (ubi9-minimal's glibc, no JDK).
FROM quay.io/quarkus/ubi9-quarkus-micro-image:2.0
ARG SERVICE
WORKDIR /deployments
COPY --from=build --chown=185:185 /code/${SERVICE}/target/*-runner /deployments/application
# Non-root (uid 185, as the JVM image), nothing written outside /tmp: the pod's root filesystem can be read-only.
USER 185
ENV QUARKUS_PROFILE=prod,kube
EXPOSE 8080 9080
ENTRYPOINT ["/deployments/application", "-Djava.io.tmpdir=/tmp"]
