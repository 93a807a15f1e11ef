# The vidbatch coordinator: the Open Liberty server "vidbatch" with the application, plus the
# worker jar (for the process launcher). It needs ffmpeg and ffprobe too: it probes inputs,
# verifies outputs and joins segments, and the local launcher encodes in it.
#
#   mvn -DskipTests -DskipITs package liberty:create liberty:install-feature liberty:deploy
#   docker build --build-arg BASE=debian:bookworm-slim -f docker/coordinator.Dockerfile \
#                -t vidbatch-coordinator:0.1.0 .
#
# BASE (a build argument): as for worker.Dockerfile, see install-runtime.sh.
# Run from the repository root; .dockerignore keeps the build's own state (other servers,
# logs, workarea, generated keystore, Derby, sample media) out of the image, and server.env:
# liberty:create writes a random keystore_password there, which would take precedence over
# KEYSTORE_PASSWORD from the Secret. Settings reach the server as environment variables.
ARG BASE=debian:bookworm-slim
FROM ${BASE}

COPY docker/install-runtime.sh /tmp/install-runtime.sh
RUN sh /tmp/install-runtime.sh && rm -f /tmp/install-runtime.sh

# Liberty with the server vidbatch (server.xml, jvm.options, db/*.xml, the JDBC drivers in
# jdbc/). Liberty writes its usr/ folder readable by owner and group only (umask o-rwx), so
# it is opened to the user the container runs as (usr/ is a few MB; the runtime is not
# touched). Then the application as a WAR, not the loose-application XML liberty:deploy
# leaves in apps/ (which points into target/).
COPY target/liberty/wlp/ /opt/vidbatch/wlp/
# bootstrap.properties names the build machine's worker jar (for servers run from the build);
# here WORKER_JAR below says where it is.
RUN chmod -R a+rX /opt/vidbatch/wlp/usr \
 && sed -i '/^worker.jar=/d' /opt/vidbatch/wlp/usr/servers/vidbatch/bootstrap.properties
COPY target/vidbatch.war /opt/vidbatch/wlp/usr/servers/vidbatch/apps/vidbatch.war
COPY target/worker/ /opt/vidbatch/worker/
COPY docker/worker-archive /tmp/worker-archive
RUN sh /tmp/worker-archive /opt/vidbatch/worker/vidbatch-worker.jar && rm -f /tmp/worker-archive

# The image is for real use: the production profile serves HTTPS only (9443), and the server
# stops before it opens a port, exit status 78, until every password is set and none is a
# development one (ADMIN_PASSWORD, ...; docs/security.md). VIDBATCH_PROFILE=development lets a
# laptop run it as is, with plain HTTP on 9080 too.
# Everything Liberty writes (logs, workarea, the TLS keystore it generates, the transaction
# log) goes under WLP_OUTPUT_DIR, an emptyDir in Kubernetes: the rest can be read-only.
# Group 0 writable as well, for platforms that run containers under an arbitrary uid.
ENV PATH=/opt/vidbatch/wlp/bin:$PATH \
    VIDBATCH_PROFILE=production \
    WORKER_JAR=/opt/vidbatch/worker/vidbatch-worker.jar \
    WLP_OUTPUT_DIR=/opt/vidbatch/wlp/output \
    XDG_CACHE_HOME=/tmp/.cache
RUN mkdir -p /opt/vidbatch/wlp/output \
 && chown 1001:0 /opt/vidbatch/wlp/output \
 && chmod 0775 /opt/vidbatch/wlp/output

# The version docker/build tags the image with (kubernetes/install sets the same on the
# objects). Last, so that a new version reuses every layer above from the cache.
ARG VERSION=unknown
LABEL org.opencontainers.image.title="vidbatch-coordinator" org.opencontainers.image.version="${VERSION}"
USER 1001:1001
EXPOSE 9443
CMD ["server", "run", "vidbatch"]
