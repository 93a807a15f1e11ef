# The vidbatch worker: runs one group of work items and exits (0 all reported, 3 all bad input,
# other transient).
# The kubernetes launcher runs it as the pod of a Job, with the items in VIDBATCH_ITEMS and the
# media volume mounted; the outcomes go to /dev/termination-log.
#
#   mvn -DskipTests -DskipITs package            # builds target/worker/ (jar + lib/)
#   docker build --build-arg BASE=debian:bookworm-slim -f docker/worker.Dockerfile \
#                -t vidbatch-worker:0.1.0 .
#
# BASE (a build argument): any image with Debian's apt-get, or one that already has Java 17+,
# ffmpeg/ffprobe and fonts-dejavu-core (then nothing is downloaded): see install-runtime.sh.
# Run from the repository root: the build context is the repository (.dockerignore keeps it
# to what is copied here).
ARG BASE=debian:bookworm-slim
FROM ${BASE}

COPY docker/install-runtime.sh /tmp/install-runtime.sh
RUN sh /tmp/install-runtime.sh && rm -f /tmp/install-runtime.sh

# The worker jar and its lib/ folder (Class-Path in the jar's manifest), and its class-data
# archive made again by this image's JVM (an archive only serves the JVM that wrote it).
COPY target/worker/ /opt/vidbatch/worker/
COPY docker/worker-archive /tmp/worker-archive
RUN sh /tmp/worker-archive /opt/vidbatch/worker/vidbatch-worker.jar && rm -f /tmp/worker-archive

# Caches (fontconfig) go to /tmp: the root filesystem may be read-only in the pod.
ENV XDG_CACHE_HOME=/tmp/.cache
# The version docker/build tags the image with (kubernetes/install sets the same on the
# objects). Last, so that a new version reuses every layer above from the cache.
ARG VERSION=unknown
LABEL org.opencontainers.image.title="vidbatch-worker" org.opencontainers.image.version="${VERSION}"
USER 1001:1001
WORKDIR /tmp
ENTRYPOINT ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", \
            "-XX:SharedArchiveFile=/opt/vidbatch/worker/vidbatch-worker.jsa", "-Xshare:auto", \
            "-jar", "/opt/vidbatch/worker/vidbatch-worker.jar"]
