#!/usr/bin/env bash
# Local infrastructure for development and tests: PostgreSQL, Kafka (KRaft), S3 (S3Proxy), Ray.
#   deploy/local/infra.sh start|stop|status|restart [postgres|kafka|s3|ray ...]   (default: all)
# Settings: deploy/local/env.sh (every value overridable from the environment).
# Data, logs and pids: $DMLP_DATA (default <repo>/.dmlp). Runs unattended (CI, as root, no stdin).
set -euo pipefail

# shellcheck source=deploy/local/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

usage() {
  echo "usage: $0 start|stop|status|restart [component...]   components: ${DMLP_COMPONENTS[*]}" >&2
  exit 2
}

(($#)) || usage
cmd=$1
shift
case $cmd in
  start) infra_start "$@" ;;
  stop) infra_stop "$@" ;;
  status) infra_status "$@" ;;
  restart)
    infra_stop "$@"
    infra_start "$@"
    ;;
  -h | --help | help) usage ;;
  *) usage ;;
esac
