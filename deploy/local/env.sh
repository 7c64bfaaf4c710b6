# shellcheck shell=bash
# Local-infrastructure settings for the embedded defaults (PostgreSQL, Kafka, S3Proxy, Ray).
# Sourced by deploy/local/infra.sh, deploy/local/lib.sh and ./dmlp. Every value can be overridden
# by exporting it before sourcing (`: ${VAR:=default}` only fills unset/empty variables).
# Everything listens on 127.0.0.1 only.

# Repo root = two levels above this file, whatever the caller's working directory.
: "${DMLP_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}"

# Per-clone state (data, logs, pids) lives under the clone and is git-ignored (.dmlp/).
: "${DMLP_DATA:=$DMLP_ROOT/.dmlp}"
: "${DMLP_LOGS:=$DMLP_DATA/logs}"
: "${DMLP_RUN:=$DMLP_DATA/run}"
# Tool caches shared between clones (virtualenv, resolved classpaths, downloaded jars).
# (A job runner may start us without HOME; Maven, pip and this path need it.)
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
export HOME
: "${DMLP_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/dmlp}"

# Ports (127.0.0.1).
: "${DMLP_PG_PORT:=55432}"
: "${DMLP_KAFKA_PORT:=59092}"
: "${DMLP_KAFKA_CONTROLLER_PORT:=59093}"
: "${DMLP_S3_PORT:=59000}"
: "${DMLP_RAY_DASHBOARD_PORT:=8265}"
: "${DMLP_RAY_GCS_PORT:=56379}"
# Ray's other fixed ports (Ray defaults); override them too when running a second clone's Ray.
: "${DMLP_RAY_CLIENT_PORT:=10001}"
: "${DMLP_RAY_AGENT_PORT:=52365}"

# Dev-only credentials.
: "${DMLP_DB_USER:=dmlp}"
: "${DMLP_DB_PASSWORD:=dmlp}"
: "${DMLP_S3_ACCESS_KEY:=dmlp-local}"
: "${DMLP_S3_SECRET_KEY:=dmlp-local-secret}"
: "${DMLP_S3_REGION:=us-east-1}"

# Databases (each also gets a "<name>_test" twin for the test suite), buckets, topics.
: "${DMLP_DATABASES:=dmlp_common dmlp_auth dmlp_catalog dmlp_dataset dmlp_training dmlp_inference dmlp_lakehouse}"
: "${DMLP_BUCKETS:=dmlp lakehouse dmlp-test lakehouse-test}"
# Topics: the base names, and their twins under the test profile's prefix (%test.dmlp.kafka.topic-prefix=test. in
# common's microprofile-config.properties), so ./dmlp test beside ./dmlp up never feeds the platform's consumers.
: "${DMLP_KAFKA_BASE_TOPICS:=dmlp.auth.events dmlp.catalog.events dmlp.dataset.events dmlp.training.events dmlp.inference.events}"
: "${DMLP_KAFKA_TOPICS:=$DMLP_KAFKA_BASE_TOPICS test.${DMLP_KAFKA_BASE_TOPICS// / test.}}"

# Python / Ray.
: "${DMLP_PYTHON:=python3}"            # interpreter the venv is built from (needs >= 3.11)
: "${DMLP_VENV:=$DMLP_CACHE/venv}"
: "${DMLP_REQUIREMENTS:=$DMLP_ROOT/ray-jobs/requirements.txt}"
: "${DMLP_RAY_TOKEN_FILE:=$DMLP_DATA/ray/token}"
: "${DMLP_RAY_NUM_CPUS:=2}"
: "${DMLP_RAY_OBJECT_STORE_BYTES:=500000000}"

# Readiness timeouts (seconds) for `infra.sh start`.
: "${DMLP_PG_TIMEOUT:=30}"
: "${DMLP_KAFKA_TIMEOUT:=60}"
: "${DMLP_S3_TIMEOUT:=30}"
: "${DMLP_RAY_TIMEOUT:=120}"

# Pinned artifacts.
: "${DMLP_S3PROXY_VERSION:=4.1.0}"

# Derived endpoints, for ./dmlp and for printing (not meant to be overridden).
DMLP_JDBC_BASE="jdbc:postgresql://127.0.0.1:$DMLP_PG_PORT"
DMLP_KAFKA_BOOTSTRAP="127.0.0.1:$DMLP_KAFKA_PORT"
DMLP_S3_ENDPOINT="http://127.0.0.1:$DMLP_S3_PORT"
DMLP_RAY_ADDRESS="http://127.0.0.1:$DMLP_RAY_DASHBOARD_PORT"

export DMLP_ROOT DMLP_DATA DMLP_LOGS DMLP_RUN DMLP_CACHE \
  DMLP_PG_PORT DMLP_KAFKA_PORT DMLP_KAFKA_CONTROLLER_PORT DMLP_S3_PORT DMLP_RAY_DASHBOARD_PORT DMLP_RAY_GCS_PORT \
  DMLP_RAY_CLIENT_PORT DMLP_RAY_AGENT_PORT \
  DMLP_DB_USER DMLP_DB_PASSWORD DMLP_S3_ACCESS_KEY DMLP_S3_SECRET_KEY DMLP_S3_REGION \
  DMLP_DATABASES DMLP_BUCKETS DMLP_KAFKA_BASE_TOPICS DMLP_KAFKA_TOPICS \
  DMLP_PYTHON DMLP_VENV DMLP_REQUIREMENTS DMLP_RAY_TOKEN_FILE DMLP_RAY_NUM_CPUS DMLP_RAY_OBJECT_STORE_BYTES \
  DMLP_PG_TIMEOUT DMLP_KAFKA_TIMEOUT DMLP_S3_TIMEOUT DMLP_RAY_TIMEOUT \
  DMLP_S3PROXY_VERSION DMLP_JDBC_BASE DMLP_KAFKA_BOOTSTRAP DMLP_S3_ENDPOINT DMLP_RAY_ADDRESS
