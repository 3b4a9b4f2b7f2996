# The project's image: Airflow 3 plus stepback, installed from uv.lock.
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
    && useradd --uid 50000 --create-home airflow \
    && mkdir -p /data /opt/airflow \
    && chown -R airflow /data /opt/airflow

USER airflow
