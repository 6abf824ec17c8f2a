"""PostgreSQL clusters and a PgBouncer of a test's own, on free ports, removed afterwards.

PostgreSQL and PgBouncer refuse to run as root: as root, the servers run as the `postgres`
user (Debian's packages create it). Missing binaries skip the test unless
REQUIRE_POSTGRES=1, which turns them into a failure."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def require(found, what: str):
    if found:
        return found
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(f"REQUIRE_POSTGRES=1 but {what} is missing")
    pytest.skip(f"{what} is missing")


def pg_bin(name: str) -> str:
    found = shutil.which(name)
    if not found:
        versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
        found = str(versions[0]) if versions else None
    return require(found, name)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kwargs)
    if result.returncode != 0:
        raise AssertionError(f"{cmd} failed: {result.stdout}\n{result.stderr}")
    return result


def to_server(port: int) -> list[str]:
    """Where psql and pg_basebackup connect: this machine, `port`, as `postgres`."""
    return ["-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]


def psql(port: int, db: str, *args: str) -> str:
    return run([pg_bin("psql"), *to_server(port), "-d", db, "-XAt", *args]).stdout.strip()


def server_dir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")
    return path


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on port {port} after {timeout} s")


class Cluster:
    """One PostgreSQL server: `initdb`-made (a primary) or `pg_basebackup`-made (a standby)."""

    def __init__(self, data: Path, port: int):
        self.data, self.port = data, port

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/inventory"

    @classmethod
    def primary(cls) -> "Cluster":
        cluster = cls(server_dir("pg-primary-") / "data", free_port())
        initdb = [pg_bin("initdb"), "-D", str(cluster.data), "-U", "postgres", "-A", "trust"]
        run(as_server_user([*initdb, "--no-sync"]))
        with open(cluster.data / "postgresql.conf", "a") as conf:
            conf.write(
                "wal_level = replica\nmax_wal_senders = 5\nfsync = off\n"
                "listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"
            )
        with open(cluster.data / "pg_hba.conf", "a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        cluster.start()
        cluster.sql("CREATE DATABASE inventory", db="postgres")
        return cluster

    def standby(self) -> "Cluster":
        replica = Cluster(server_dir("pg-replica-") / "data", free_port())
        basebackup = [pg_bin("pg_basebackup"), *to_server(self.port), "-D", str(replica.data)]
        run(as_server_user([*basebackup, "-R", "-X", "stream", "-c", "fast"]))
        replica.start()
        return replica

    def start(self) -> None:
        run(
            as_server_user(
                [
                    pg_bin("pg_ctl"),
                    "-D",
                    str(self.data),
                    "-o",
                    f"-p {self.port}",
                    "-l",
                    str(self.data.parent / "server.log"),
                    "-w",
                    "start",
                ]
            )
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        subprocess.run(
            as_server_user([pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
        )

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.data.parent, ignore_errors=True)

    def sql(self, query: str, db: str = "inventory") -> str:
        return psql(self.port, db, "-c", query)
