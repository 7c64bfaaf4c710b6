# One JVM image per platform service, from the same file (the services are packaged alike: Quarkus fast-jar):
#
#   mvn -B package -DskipTests
#   docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=gateway -t dmlp/gateway:0.1.0 .
#
# for SERVICE in auth-service, catalog-service, dataset-service, training-service, inference-service,
# datalake-service, gateway. Non-root (uid 185), nothing written outside /tmp, so the pod's root filesystem can be
# read-only (deploy/k8s). JAVA_OPTS carries the heap (each Deployment sets it).
FROM eclipse-temurin:17.0.15_6-jre-noble
ARG SERVICE
RUN groupadd --system --gid 185 dmlp && useradd --system --uid 185 --gid 185 --home-dir /deployments dmlp
WORKDIR /deployments
COPY --chown=185:185 ${SERVICE}/target/quarkus-app/lib/ lib/
COPY --chown=185:185 ${SERVICE}/target/quarkus-app/*.jar ./
COPY --chown=185:185 ${SERVICE}/target/quarkus-app/app/ app/
COPY --chown=185:185 ${SERVICE}/target/quarkus-app/quarkus/ quarkus/
USER 185
ENV QUARKUS_PROFILE=prod,kube JAVA_OPTS="-XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080 9080
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -Djava.io.tmpdir=/tmp -jar /deployments/quarkus-run.jar"]
