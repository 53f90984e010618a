"""A throwaway PostgreSQL cluster for the benches, made as ``.ci/postgres.sh`` makes the tests'.

``initdb`` in a temporary folder with the Debian binaries ``make test`` installs, the server
on 127.0.0.1 at a free port with trust authentication and durability off (it is thrown away),
one empty database; stopped and deleted afterwards whatever happens. Also reads a local
server's CPU time, so a bench can show the database's share of a request beside the app's.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _bindir() -> Path:
    """Debian keeps the server binaries out of PATH: the newest installed version."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if found:
        return found[-1].parent
    if pg_ctl := shutil.which("pg_ctl"):
        return Path(pg_ctl).parent
    raise SystemExit("PostgreSQL is not installed (the Debian package postgresql; "
                     "make test installs it).")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def throwaway_cluster(database: str = "juara_bench") -> Iterator[str]:
    """Yield ``postgresql+psycopg://postgres@127.0.0.1:PORT/database`` of a fresh cluster."""
    bindir = _bindir()
    as_owner: list[str] = []
    if os.getuid() == 0:  # the server refuses to run as root
        as_owner = ["runuser", "-u", "postgres", "--"]
    workdir = Path(tempfile.mkdtemp(prefix="juara-pg-", dir="/tmp" if as_owner else None))
    if as_owner:
        shutil.chown(workdir, "postgres")
    port = _free_port()
    data = workdir / "data"

    def pg(*command: str, **kwargs) -> None:
        subprocess.run([*as_owner, str(bindir / command[0]), *command[1:]], cwd=workdir,
                       check=True, stdout=subprocess.DEVNULL, **kwargs)

    started = False
    try:
        try:
            pg("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
               "--locale=C", "--no-sync")
            options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {workdir} -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off")
            started = True
            pg("pg_ctl", "-D", str(data), "-l", str(workdir / "server.log"), "-o", options,
               "-w", "-t", "30", "start")
            pg("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", database)
        except subprocess.CalledProcessError as failed:
            log = workdir / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise SystemExit(f"PostgreSQL did not start ({failed}).\n{tail}") from None
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{database}"
    finally:
        if started:
            pg("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop",
               stderr=subprocess.DEVNULL)
        shutil.rmtree(workdir, ignore_errors=True)


def local_server_pid(engine) -> int | None:
    """The postmaster's pid when the server runs on this machine (the parent of our backend)."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        backend = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    try:
        stat = Path(f"/proc/{backend}/stat").read_text()
    except OSError:
        return None  # another machine, or another pid namespace
    if "(postgres)" not in stat:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def server_cpu_seconds(postmaster: int) -> float:
    """User + system time of the postmaster and every process it started (backends, writers).

    Backends that ended are in the postmaster's children's times once it has reaped them.
    """
    pids = [postmaster, *map(int, Path(f"/proc/{postmaster}/task/{postmaster}/children")
                             .read_text().split())]
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended between the listing and the read
        total += int(fields[11]) + int(fields[12])
        if pid == postmaster:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime: reaped children
    return total / TICKS
