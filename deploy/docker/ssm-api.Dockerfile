# Self Service Mandates API.
# Build from the repository root:
#   docker build -f deploy/docker/ssm-api.Dockerfile -t mandates/ssm-api:dev .

FROM python:3.11.14-slim-bookworm AS builder

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN pip install --no-cache-dir "uv==0.13.8"

WORKDIR /src

# Third-party dependencies first, from the lock and the workspace manifests alone, so
# that a change to the code alone reuses this layer.
COPY pyproject.toml uv.lock ./
COPY libs/service-kit/pyproject.toml libs/service-kit/
COPY libs/identity-stub/pyproject.toml libs/identity-stub/
COPY services/ssm-api/pyproject.toml services/ssm-api/
COPY services/myhandicap-api/pyproject.toml services/myhandicap-api/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package ssm-api

# Then the workspace packages themselves, installed as wheels, not as links to /src.
COPY libs ./libs
COPY services ./services
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package ssm-api


FROM python:3.11.14-slim-bookworm AS runtime

LABEL org.opencontainers.image.title="ssm-api" \
      org.opencontainers.image.description="Self Service Mandates API"

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin app

# Only the virtual environment: no sources, no uv, no build tools.
COPY --from=builder /opt/venv /opt/venv

# Production unless told otherwise, so that a development placeholder secret is refused.
ENV PATH="/opt/venv/bin:$PATH" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SSM_ENVIRONMENT=production

USER 10001:10001

EXPOSE 8001

# The slim image has no curl: ask the liveness endpoint with the standard library.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8001/healthz', timeout=4)"]

ENTRYPOINT ["ssm-api"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8001"]
