# The committee's evaluation service for the online mode (`committee serve`;
# ADR 0025), and nothing else of the committee's: the image holds the
# program, the volume holds the service directory.
#
#   docker build -t coc-hashscreen-service .
#   docker run --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges \
#       -v /srv/coc/service:/data/service -p 127.0.0.1:8080:8080 coc-hashscreen-service
#
# /srv/coc/service is the committee directory's `service/` and only that:
# oprf-seed.json (mode 0600) and tokens.sqlite (0600), both owned by uid
# 10001, the user the service runs as.  Never mount the committee directory
# itself: its register and keys stay with the committee.  The volume must be
# writable (SQLite keeps tokens.sqlite-wal and -shm beside the database, and
# the committee replaces the seed file there when it rotates); the root
# filesystem need not be, nothing else is written.  Put a reverse proxy in
# front that terminates TLS: the service speaks plain HTTP on 8080.
#
# One worker per CPU the container may run on (its cpuset); a --cpus quota
# is not seen, so give such a container a cpuset too.

FROM python:3.12-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
# Compiled here, so that the read-only image needs no bytecode written at run time.
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install ".[service]"

FROM python:3.12-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
RUN groupadd --system --gid 10001 coc \
    && useradd --system --uid 10001 --gid 10001 --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin coc \
    && mkdir -p /data/service \
    && chown 10001:10001 /data/service \
    && chmod 0700 /data/service
COPY --from=build /opt/venv /opt/venv
USER 10001:10001
WORKDIR /data
VOLUME ["/data/service"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
ENTRYPOINT ["coc-hashscreen", "committee", "serve", "/data", "--host", "0.0.0.0", "--port", "8080"]
