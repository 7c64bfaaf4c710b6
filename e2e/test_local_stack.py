"""The local stack's own reach: who may talk to PostgreSQL, and what Ray's processes can read."""

import glob
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

DATA = Path(os.environ.get("DMLP_DATA", Path(__file__).resolve().parents[1] / ".dmlp"))
PG_PORT = os.environ.get("DMLP_PG_PORT", "55432")
# Variables of deploy/local/env.sh that no Ray process may inherit.
SECRETS = ("DMLP_DB_PASSWORD", "DMLP_S3_SECRET_KEY", "DMLP_S3_ACCESS_KEY")


def psql_binary() -> str:
    found = shutil.which("psql") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"), reverse=True)), None)
    if not found:
        pytest.fail("no psql binary: deploy/local installs PostgreSQL, so it must be there")
    return found


def socket_dir() -> str:
    # postmaster.pid, line 5: the first unix socket directory of the running server.
    return (DATA / "pg" / "postmaster.pid").read_text().splitlines()[4]


def connect(host: str, user: str, as_os_user: str | None = None) -> subprocess.CompletedProcess:
    command = [psql_binary(), "-X", "-w", "-At", "-h", host, "-p", PG_PORT, "-U", user, "-d", "postgres",
               "-c", "select 1"]
    if as_os_user:
        command = ["runuser", "-u", as_os_user, "--"] + command
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    return subprocess.run(command, capture_output=True, text=True, timeout=30, env=env, cwd="/")


def test_the_postgres_socket_directory_is_private():
    mode = stat.S_IMODE(os.stat(socket_dir()).st_mode)

    assert mode & 0o077 == 0, f"{socket_dir()} is mode {oct(mode)}"


@pytest.mark.parametrize("user", ["postgres", "dmlp"])
def test_no_local_os_user_connects_without_a_password(user):
    over_socket = connect(socket_dir(), user)
    over_tcp = connect("127.0.0.1", user)

    assert over_socket.returncode != 0 and over_socket.stdout.strip() != "1", over_socket.stdout
    assert "authentication failed" in over_socket.stderr or "no password supplied" in over_socket.stderr, \
        over_socket.stderr
    assert over_tcp.returncode != 0, over_tcp.stdout


@pytest.mark.skipif(os.geteuid() != 0, reason="reaching another OS user's processes needs root")
def test_another_os_user_cannot_even_reach_the_socket():
    result = connect(socket_dir(), "dmlp", as_os_user="nobody")

    assert result.returncode != 0
    assert "Permission denied" in result.stderr or "No such file" in result.stderr, result.stderr


def ray_processes() -> dict[int, dict[str, str]]:
    """The environment of every process deploy/local started for Ray (tagged DMLP_INFRA_TAG=<id>/ray)."""
    found = {}
    for environ in glob.glob("/proc/[0-9]*/environ"):
        try:
            raw = Path(environ).read_bytes()
        except OSError:
            continue
        env = dict(item.split("=", 1) for item in raw.decode(errors="replace").split("\0") if "=" in item)
        if env.get("DMLP_INFRA_TAG", "").endswith("/ray"):
            found[int(environ.split("/")[2])] = env
    return found


def test_ray_processes_inherit_no_database_or_s3_secret():
    processes = ray_processes()

    assert processes, "no Ray process of the local stack found"
    # A job's own processes carry what its submission gave it (DMLP_JOB_SPEC with it); the rest nothing.
    leaks = {pid: [key for key in SECRETS if key in env] for pid, env in processes.items()
             if "DMLP_JOB_SPEC" not in env}
    assert not {pid: keys for pid, keys in leaks.items() if keys}, leaks
