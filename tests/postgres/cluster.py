"""A throwaway PostgreSQL cluster of our own, for outages no shared server may suffer.

`initdb` and `pg_ctl` run under a temp folder on a free port (as the `postgres` user
when the tests run as root, since PostgreSQL refuses to run as root). `freeze` stops
every process of the cluster with SIGSTOP: it keeps listening, and the kernel keeps
acknowledging its TCP traffic, but nothing answers, as with a hung or paused server.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg


def postgres_bin() -> Path | None:
    """The folder holding initdb and pg_ctl, if PostgreSQL's server is installed."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    """A running cluster: where it lives and how to reach it."""

    root: Path
    port: int
    bin: Path
    as_postgres: bool

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new database on this cluster; its SQLAlchemy URL."""
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def processes(self) -> list[int]:
        """The postmaster and every process it started."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in glob.glob("/proc/[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == postmaster:
                    children.append(int(Path(stat).parent.name))
        return [postmaster, *children]

    def freeze(self) -> None:
        """Stop every process of the cluster (they keep their sockets open)."""
        for pid in self.processes():
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        """Let every process of the cluster run again."""
        for pid in self.processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """Start a cluster; afterwards thaw it, stop it and remove it, whatever happened."""
    binaries = postgres_bin()
    if binaries is None:
        raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    as_postgres = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="counter-tui-pg-"))
    if as_postgres:
        shutil.chown(root, "postgres", "postgres")
    cluster = Cluster(root=root, port=free_port(), bin=binaries, as_postgres=as_postgres)
    started = False
    try:
        cluster.run("initdb", "-D", str(cluster.data), "--username=postgres", "--auth=trust", "--no-sync")
        options = f"-p {cluster.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        cluster.run(
            "pg_ctl", "-D", str(cluster.data), "-o", options, "-l", str(root / "server.log"), "-w", "start"
        )
        started = True
        yield cluster
    finally:
        if started:
            with contextlib.suppress(OSError, ValueError):
                cluster.thaw()
            with contextlib.suppress(subprocess.SubprocessError):
                cluster.run("pg_ctl", "-D", str(cluster.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)
