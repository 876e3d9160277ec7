# syntax=docker/dockerfile:1
#
# One Dockerfile for every Spring Boot service of the platform (docker-compose.yml builds it once per
# service with the build arguments SERVICE and HTTP_PORT).
#
# Stage "build" compiles the whole Maven reactor once. It takes no build argument, so its cache key is
# the same for every service: BuildKit builds it once and all eight images reuse it, instead of eight
# Maven builds. The local Maven repository lives in a BuildKit cache mount, so a rebuild after a code
# change downloads nothing.
# Stage "service" is the small runtime image of one service: a JRE, the service's layered jar extracted
# into four layers (dependencies change rarely, application code often), a non-root user, and a health
# check against the service's readiness endpoint.
#
# Both images are multi-architecture (linux/amd64 and linux/arm64). protoc and the gRPC code generator are
# Maven artifacts picked by os-maven-plugin for the build machine's architecture (linux-x86_64 or
# linux-aarch_64), both published on Maven Central, so the build also runs natively on arm64. The build
# image is glibc based on purpose: those protoc binaries do not run on musl (Alpine).

# Maven 3.9.11 is the version .mvn/wrapper/maven-wrapper.properties pins for ./mvnw; JDK 25 is the JDK
# ./platform and CI build and test with. The bytecode targets Java 21 (maven.compiler.release).
ARG BUILD_IMAGE=maven:3.9.11-eclipse-temurin-25-noble
# The JRE the services are tested on. Ubuntu (glibc, bash) rather than Alpine: same libc as the build
# and as CI, and bash for the health check below.
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre-noble

FROM ${BUILD_IMAGE} AS build
WORKDIR /build
# Everything the reactor needs (.dockerignore keeps out build output, local state and the sources of the system
# tests and the load tests; their poms stay because the root pom lists the modules).
COPY . .
# -pl '!system-tests,!load-tests': every service and library, not the black-box tests of the packaged services
# nor the Gatling simulations.
# -Dmaven.test.skip=true: the tests ran in CI (./platform test) against real infrastructure; an image
# build has none.
RUN --mount=type=cache,id=shop-maven-repository,target=/root/.m2/repository,sharing=locked \
    mvn -B -ntp -Dmaven.test.skip=true -pl '!system-tests,!load-tests' package
# Each service's jar, extracted into its layers (dependencies, spring-boot-loader, snapshot-dependencies,
# application) with Spring Boot's launcher, under /layers/<service>.
RUN for jar in */target/*.jar; do \
      service="${jar%%/*}"; \
      [ "$jar" = "$service/target/$service.jar" ] || continue; \
      java -Djarmode=tools -jar "$jar" extract --layers --launcher --destination "/layers/$service"; \
    done; \
    ls /layers

FROM ${RUNTIME_IMAGE} AS service
# Before the build arguments, so this layer is shared by every service image.
RUN groupadd --system --gid 10001 shop \
 && useradd --system --uid 10001 --gid shop --home-dir /app --no-create-home --shell /usr/sbin/nologin shop
COPY --chmod=0755 deploy/docker/healthcheck /usr/local/bin/healthcheck
WORKDIR /app

# The module directory of the service (product-service, ...), its HTTP port and its management (actuator) port.
ARG SERVICE
ARG HTTP_PORT
ARG MANAGEMENT_PORT
RUN test -n "$SERVICE" && test -n "$HTTP_PORT" && test -n "$MANAGEMENT_PORT" \
 || { echo "build with --build-arg SERVICE=<module directory> --build-arg HTTP_PORT=<port> --build-arg MANAGEMENT_PORT=<port>" >&2; exit 1; }
LABEL org.opencontainers.image.title="${SERVICE}" \
      org.opencontainers.image.description="shop-platform ${SERVICE}"

# Least likely to change first, so a code change replaces only the last layer.
COPY --from=build /layers/${SERVICE}/dependencies/ ./
COPY --from=build /layers/${SERVICE}/spring-boot-loader/ ./
COPY --from=build /layers/${SERVICE}/snapshot-dependencies/ ./
COPY --from=build /layers/${SERVICE}/application/ ./

# The ports the service listens on (its application.yml defaults): the API, and the actuator's management port
# (health, info, prometheus), which the health check asks and compose never publishes.
ENV SERVER_PORT=${HTTP_PORT} MANAGEMENT_PORT=${MANAGEMENT_PORT}
# JVM memory follows the container's memory limit (container support is on by default):
#  - heap at most 50 % of the limit; the rest is for metaspace, code cache, thread stacks and the direct
#    buffers of Netty, gRPC and the Kafka client, so the container is not OOM-killed below a full heap;
#  - the JVM exits on OutOfMemoryError so the restart policy starts a clean one instead of a limping one.
# Below 1792 MB and with 2 or fewer CPUs the JVM picks the Serial collector by itself, which suits these
# small heaps. JDK_JAVA_OPTIONS is read by the java launcher only (not by jcmd or other tools); override
# it per service in docker-compose.yml or .env if needed.
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
EXPOSE ${HTTP_PORT} ${MANAGEMENT_PORT}
USER 10001:10001

# Ready means the readiness group of /actuator is UP (the service's own state and its database), the same
# signal docker compose waits for before starting the services that depend on this one.
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 CMD ["healthcheck"]
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
