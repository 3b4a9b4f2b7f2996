# The project's image: Airflow 3 (Celery provider included) plus stepback, installed from
# uv.lock. Runs as uid 50000 by default; docker-compose.yml runs it as ${AIRFLOW_UID}:0, so
# everything it writes is group 0 writable.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_COMPILE_BYTECODE=1 \
    PATH=/opt/venv/bin:$PATH \
    AIRFLOW_HOME=/opt/airflow \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/stepback/dags \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    STEPBACK_CONFIG=/opt/stepback/stepback.toml \
    STEPBACK_DATA_DIR=/data

RUN pip install --no-cache-dir uv

WORKDIR /opt/stepback
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN uv sync --frozen --no-dev \
    && useradd --uid 50000 --gid 0 --create-home airflow \
    && mkdir -p /data /opt/airflow/logs /opt/airflow/passwords \
    && chown -R 50000:0 /data /opt/airflow \
    && chmod -R g+rwX /data /opt/airflow

USER 50000
