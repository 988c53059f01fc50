# Build stage: compile a release binary and run the test suite; a failing
# test fails the image build.
FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      meson ninja-build pkg-config gcc libc6-dev \
      libmicrohttpd-dev libjansson-dev libsqlite3-dev zlib1g-dev libcsv-dev libpq-dev check libsubunit-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The PostgreSQL tests need a server, which this stage has not: they exit
# 77 (skipped); the engine is still built and its other tests run.
RUN meson setup /build --buildtype=release -Dtests=true -Dpostgresql=enabled \
 && ninja -C /build \
 && meson test -C /build --print-errorlogs \
 && install -D -s -m 0755 /build/techpayd /out/techpayd

# Runtime stage: the binary and the shared libraries it needs (zlib1g, for
# gzip, is already part of every Debian base image; libcsv3 is libcsv, the
# RFC 4180 streaming parser POST /import reads CSV with; libpq5 is the
# PostgreSQL client, which needs libssl3, Kerberos (GSSAPI) and libldap with
# SASL; all needed by libpq5, 10 MB of the 11.6 MB this layer adds). What
# apt and dpkg leave behind besides the libraries (package lists, logs, the
# previous status and debconf files) is removed in the same layer.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libmicrohttpd12 libjansson4 libsqlite3-0 libcsv3 libpq5 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
      /var/lib/dpkg/*-old /var/cache/debconf/*-old /var/cache/ldconfig/aux-cache \
 && groupadd --system --gid 10001 techpay \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --shell /usr/sbin/nologin techpay \
 && install -d -o techpay -g techpay -m 0750 /data
COPY --from=build /out/techpayd /usr/local/bin/techpayd
# Numeric, so that Kubernetes' runAsNonRoot can verify it without a runAsUser.
USER 10001:10001
WORKDIR /data
# No TECHPAY_DB: it would win over DATABASE_URL. The default ./techpay.db is
# /data/techpay.db from this working directory.
ENV TECHPAY_BIND=0.0.0.0 \
    TECHPAY_PORT=8080
VOLUME /data
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/usr/local/bin/techpayd", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/techpayd"]
