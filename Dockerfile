# Build: the release `api` binary (dump.sql is compiled into it, and copied beside it).
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p api

# Run: a slim image with the binary, the dump and curl for the health check.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /srv/elexxion elexxion \
    && mkdir -p /srv/elexxion/data \
    && chown elexxion /srv/elexxion/data
COPY --from=build /src/target/release/api /usr/local/bin/api
COPY dump.sql /srv/elexxion/dump.sql
WORKDIR /srv/elexxion
USER elexxion
# Inside the container the service listens on every interface; publish the port to choose who reaches it.
ENV HOST=0.0.0.0 \
    PORT=8080 \
    DATABASE_URL=/srv/elexxion/data/elexxion.db \
    DUMP_PATH=/srv/elexxion/dump.sql \
    RUST_LOG=info
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/health" > /dev/null || exit 1
CMD ["api"]
