"""A throw-away PostgreSQL cluster on 127.0.0.1 for the store tests, from Debian's postgresql
package (``make test`` installs it when missing): initdb into a temporary folder, start on a free
port, hand out one fresh database per test, stop and remove everything afterwards.

PostgreSQL refuses to run as root; as root the cluster is made and run as the ``postgres`` user
the package creates.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

USER = "approvals"


def binaries() -> Path | None:
    """The newest installed server's bin folder (/usr/lib/postgresql/N/bin), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def cluster() -> Iterator[str]:
    """A running cluster; yields the URL of its ``postgres`` database (trust authentication)."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("未安装 PostgreSQL 服务器（make test 会安装 Debian 的 postgresql 软件包）")
    root = Path(tempfile.mkdtemp(prefix="approvals-pg-"))
    data = root / "data"
    data.mkdir()
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        for path in (root, data):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    port = free_port()
    log = root / "server.log"
    try:
        subprocess.run(
            _as_owner([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", USER, "-E", "UTF8",
                       "--locale", "C.UTF-8"]),
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]
        subprocess.run(_as_owner(start), check=True, capture_output=True, timeout=120)
        yield f"postgresql+psycopg://{USER}@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True, timeout=60, check=False,
        )  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)
