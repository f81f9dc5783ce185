"""`relaydesk serve`: the staff UI, portal and API with a production WSGI server.

Migrates, collects static files (whitenoise serves them), with --demo loads the demo, then
serves `relaydesk.wsgi` and, unless --no-worker, runs the worker loop (escalations, tickles,
outgoing mail) in a thread of this process. SIGTERM and SIGINT stop everything cleanly: the
worker finishes its step, requests in flight are answered.

Python's threads share one interpreter lock, so one process serves with at most one core.
By default the requests are served by one process per CPU (`--processes`, at most 8):
gunicorn, given the socket this process bound, forks them from an app loaded once (the tone
check compiled before the fork) and each serves with `--threads` threads. This process serves
no request and runs the worker thread, so the worker runs once however many serve. gunicorn
runs in a process group of its own: Ctrl+C reaches this process, which stops it gracefully.
`--processes 1` serves from this process itself with waitress (threads), as on a system
without fork. To scale out, run several `serve --no-worker` behind a proxy and `relaydesk
worker` apart (docs/operations.md).
"""

import os
import signal
import socket
import subprocess
import sys
import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

NO_COMPANY = """\
Relaydesk has no company yet, so there is nothing to serve.

Start in one of two ways:

  relaydesk init FILE        describe your company (tiers, staff, categories, executive
                             rota) in a TOML file and load it; examples/demo-company.toml
                             is a complete example to copy from
  relaydesk serve --demo     try it with the demo company (Northline Rail), its staff and
                             sixty days of cases; log in as frontline / demo

Data lives in {home}.
"""

# Each process holds its own copy of the app; SQLite takes one writer at a time, so more
# processes than this add memory, not pages.
MOST_PROCESSES_BY_DEFAULT = 8
GRACEFUL_SECONDS = 30  # a request in flight at a stop is answered within this
KEEP_ALIVE_SECONDS = 75  # nginx's own default; gunicorn's is 2


def default_processes() -> int:
    """One per CPU this process may run on, at most 8; 1 where gunicorn cannot run (it forks:
    not on Windows)."""
    if os.name != "posix":
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(MOST_PROCESSES_BY_DEFAULT, cpus or 1))


class Command(BaseCommand):
    help = (
        "Serve the staff UI, the customer portal and the API (gunicorn, one process per CPU; "
        "waitress with --processes 1), with the worker in this process unless --no-worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="load the demo company first")
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not run the worker here (run `relaydesk worker` separately)",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help=f"processes serving requests (default: one per CPU, here {default_processes()})",
        )
        parser.add_argument("--threads", type=int, default=8, help="request threads a process")

    def handle(self, *args, demo, host, port, no_worker, processes, threads, **options):
        processes = default_processes() if processes is None else processes
        if processes < 1 or threads < 1:
            raise CommandError("--processes and --threads take a number of 1 or more.")
        self.prepare(demo)
        if processes == 1:
            server = self.make_server(host, port, threads)
            bound_port = server.effective_port
        else:
            server = Forked(listening_sockets(host, port), processes, threads)
            bound_port = server.port
        stop = threading.Event()
        worker = None if no_worker else self.start_worker(stop)
        self.announce(host, bound_port, worker is not None, processes, threads)

        def request_stop(signum, frame):
            raise SystemExit(0)  # waitress's loop ends on SystemExit and stops its threads

        previous = {
            sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            server.run()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            stop.set()
            server.close()
            if worker is not None:
                worker.join(timeout=30)
            self.say("Relaydesk stopped.")

    def prepare(self, demo: bool) -> None:
        from relaydesk.org.models import Company

        self.say("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        if not demo and Company.current() is None:
            self.stderr.write(NO_COMPANY.format(home=settings.HOME))
            sys.exit(1)
        call_command("collectstatic", interactive=False, verbosity=0)
        if demo:
            self.load_demo()

    def announce(self, host: str, port: int, worker: bool, processes: int, threads: int) -> None:
        url = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
        self.record_address(host, port)
        worker_note = "with the worker" if worker else "without the worker"
        served_by = f"{processes} process{'es' if processes > 1 else ''} of {threads} threads"
        self.say(f"Relaydesk is serving on {url} ({worker_note}; {served_by}). Stop with Ctrl+C.")
        if host not in ("127.0.0.1", "localhost", "::1") and not os.environ.get(
            "RELAYDESK_ALLOWED_HOSTS"
        ):
            self.say(
                "Note: only requests for 127.0.0.1 and localhost are answered until "
                "RELAYDESK_ALLOWED_HOSTS names the host people use (docs/configuration.md)."
            )

    def record_address(self, host: str, port: int) -> None:
        """Links in mail name where we serve: unless RELAYDESK_BASE_URL is set, the bound
        address goes to RELAYDESK_HOME/served-at for every process (relaydesk.org.addresses)."""
        from relaydesk.org.addresses import record_served_at, served_url

        if settings.BASE_URL_GIVEN:
            return
        link_base = served_url(host, port)
        record_served_at(link_base)
        self.say(f"Links in mail start with {link_base} (set RELAYDESK_BASE_URL to change it).")

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def load_demo(self) -> None:
        from relaydesk.setup.demo import DemoRefused
        from relaydesk.setup.management.commands.demo import print_logins, run_demo

        try:
            result = run_demo(stdout=self.stdout)
        except (DemoRefused, ImproperlyConfigured, ValueError) as error:
            raise CommandError(str(error)) from None
        self.say(result.message)
        print_logins(self.say)

    def make_server(self, host: str, port: int, threads: int):
        """waitress in this process (`--processes 1`)."""
        from waitress.server import create_server

        from relaydesk.wsgi import application, largest_body  # compiles the tone check

        try:
            return create_server(
                application,
                host=host,
                port=port,
                threads=threads,
                ident="Relaydesk",
                max_request_body_size=largest_body(),
            )
        except OSError as error:
            raise cannot_listen(host, port, error) from None

    def start_worker(self, stop: threading.Event) -> threading.Thread | None:
        try:
            from relaydesk.clock.worker import run_worker
        except ImportError as error:
            self.stderr.write(f"The worker is not available ({error}); serving without it.")
            return None
        thread = threading.Thread(target=run_worker, args=(stop,), name="worker", daemon=True)
        thread.start()
        return thread


def cannot_listen(host: str, port: int, error: OSError) -> CommandError:
    return CommandError(
        f"Cannot listen on {host}:{port} ({error.strerror}); choose another with --port."
    )


def listening_sockets(host: str, port: int) -> list[socket.socket]:
    """Every address `host` names, bound and listening (as waitress binds them); port 0 picks
    one free port for all."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as error:
        raise cannot_listen(host, port, error) from None
    sockets: list[socket.socket] = []
    try:
        for family, *_, address in dict.fromkeys(found):
            sockets.append(
                socket.create_server(
                    (address[0], port or (sockets[0].getsockname()[1] if sockets else 0)),
                    family=family,
                    backlog=2048,  # gunicorn's own default
                )
            )
    except OSError as error:
        for sock in sockets:
            sock.close()
        raise cannot_listen(host, port, error) from None
    return sockets


class Forked:
    """gunicorn serving `relaydesk.wsgi` from `processes` processes on sockets bound here."""

    def __init__(self, sockets: list[socket.socket], processes: int, threads: int):
        self.port = sockets[0].getsockname()[1]
        fds = [sock.fileno() for sock in sockets]
        argv = [
            *(sys.executable, "-m", "gunicorn", "relaydesk.wsgi:application"),
            *(arg for fd in fds for arg in ("--bind", f"fd://{fd}")),
            *("--workers", str(processes), "--worker-class", "gthread"),
            *("--threads", str(threads), "--graceful-timeout", str(GRACEFUL_SECONDS)),
            # An idle connection is kept open longer than a person pauses between clicks: a
            # request sent just as the server closes one fails (as waitress's 120 s kept it).
            *("--keep-alive", str(KEEP_ALIVE_SECONDS)),
            "--preload",  # the app (and the tone check) loaded once, before the fork
            "--no-control-socket",  # else one under ~/.gunicorn per start
            *("--log-level", "warning"),  # its start-up lines; Django logs errors itself
        ]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
        try:
            # A process group of its own: a terminal's Ctrl+C (SIGINT to the whole group)
            # would make gunicorn drop requests in flight; this process stops it with SIGTERM.
            self.process = subprocess.Popen(  # noqa: S603 - our own argv: this Python, gunicorn
                argv, pass_fds=fds, env=env, process_group=0
            )
        finally:
            for sock in sockets:
                sock.close()  # gunicorn has its copies

    def run(self) -> None:
        code = self.process.wait()
        raise CommandError(f"The web processes stopped by themselves (gunicorn exit code {code}).")

    def close(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()  # gunicorn's graceful stop
        try:
            self.process.wait(timeout=GRACEFUL_SECONDS + 15)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):  # stuck, or a second Ctrl+C
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
