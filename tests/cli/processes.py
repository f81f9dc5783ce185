"""Running the real `relaydesk` command in a subprocess, as a newcomer would."""

import os
import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def relaydesk_command() -> list[str]:
    """The installed console script next to this Python, else the module."""
    script = Path(sys.executable).parent / "relaydesk"
    return [str(script)] if script.exists() else [sys.executable, "-m", "relaydesk.cli"]


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh shell: the product's settings, data in `home`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("RELAYDESK_") and key != "DJANGO_SETTINGS_MODULE"
    }
    env["RELAYDESK_HOME"] = str(home)
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args: list[str], home: Path, timeout: float = 180, **extra: str):
    return subprocess.run(
        [*relaydesk_command(), *args],
        cwd=REPO,
        env=clean_env(home, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def descendants(pid: int) -> set[int]:
    """The processes started by `pid`, and theirs (Linux: read from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # ended meanwhile
                continue
            parents[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    """Still running (a zombie waiting for its parent counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"
