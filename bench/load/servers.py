"""The processes of a load run, started on loopback ports chosen now and always stopped.

SQLite: `relaydesk serve` (gunicorn, one process per CPU unless --processes says, the worker
in a thread of serve itself) and `relaydesk mailin`.
PostgreSQL: gunicorn with 4 sync workers over `relaydesk.wsgi`, 2 `relaydesk worker`
processes (gunicorn forks: never a worker thread in each) and `relaydesk mailin`.
Each runs in a process group of its own, its output in a log file of the run's home.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    from relaydesk.intake.mail.smtp import free_port as pick

    return pick()


class Processes:
    def __init__(self, home: Path, env: dict[str, str]):
        self.home = home
        self.env = env
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = open(self.home / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            argv,
            cwd=PROJECT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.started.append((name, process))
        return process

    def stop(self) -> None:
        for _name, process in reversed(self.started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for name, process in reversed(self.started):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                print(f"[load] {name} did not stop on SIGTERM in 30 s; killing it", flush=True)
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) each process and its live children have used so far."""
        import psutil

        used = {}
        for name, process in self.started:
            try:
                parent = psutil.Process(process.pid)
                family = [parent, *parent.children(recursive=True)]
                used[name] = sum(sum(p.cpu_times()[:2]) for p in family)
            except psutil.NoSuchProcess:
                used[name] = 0.0
        return used

    def database_cpu_seconds(self, database: str) -> float:
        """CPU time of the PostgreSQL backends serving `database` (on this machine)."""
        import psutil

        used = 0.0
        for process in psutil.process_iter(["cmdline"]):
            title = " ".join(process.info["cmdline"] or ())
            if title.startswith("postgres:") and f" {database} " in f"{title} ":
                try:
                    used += sum(process.cpu_times()[:2])
                except psutil.NoSuchProcess:
                    continue
        return used

    def logs(self) -> dict[str, str]:
        return {
            name: (self.home / f"{name}.log").read_text(errors="replace")
            for name, _ in self.started
        }


def wait_for(url: str, processes: Processes, seconds: float = 300) -> None:
    """Until `url` answers (any HTTP status), or a process died, or `seconds` passed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, process in processes.started:
            if process.poll() is not None:
                raise SystemExit(f"{name} exited with {process.returncode}: see {name}.log")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - loopback, our URL
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"nothing answered at {url} within {seconds:.0f} s")


def wait_for_line(path: Path, text: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise SystemExit(f"{path.name} never said {text!r}")


@contextmanager
def running(
    engine: str,
    home: Path,
    env: dict[str, str],
    *,
    web_port: int,
    smtp_port: int,
    serve_options: tuple[str, ...] = (),
):
    relaydesk = str(BIN / "relaydesk")
    processes = Processes(home, env)
    try:
        if engine == "sqlite":
            serve = [relaydesk, "serve", "--port", str(web_port), *serve_options]
            processes.start("serve", serve)
        else:
            subprocess.run(
                [relaydesk, "manage", "collectstatic", "--noinput", "-v", "0"],
                cwd=PROJECT,
                env=env,
                check=True,
            )
            processes.start(
                "gunicorn",
                [
                    str(BIN / "gunicorn"),
                    "--config",
                    str(Path(__file__).with_name("gunicorn_conf.py")),
                    "--bind",
                    f"127.0.0.1:{web_port}",
                    "relaydesk.wsgi:application",
                ],
            )
            for number in (1, 2):
                processes.start(f"worker{number}", [relaydesk, "worker"])
        processes.start("mailin", [relaydesk, "mailin", "--port", str(smtp_port), "--no-imap"])
        wait_for(f"http://127.0.0.1:{web_port}/login/", processes)
        wait_for_line(home / "mailin.log", "SMTP on")
        yield processes
    finally:
        processes.stop()
