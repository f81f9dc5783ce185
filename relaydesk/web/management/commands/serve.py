"""`relaydesk serve`: the staff UI, portal and API with a production WSGI server, one process.

Migrates, collects static files (whitenoise serves them), with --demo loads the demo, then
serves with waitress (threaded) and, unless --no-worker, runs the worker loop (escalations,
tickles, outgoing mail) in a thread of the same process. SIGTERM and SIGINT stop both cleanly.
To scale out, run several `serve --no-worker` behind a proxy and `relaydesk worker` apart
(docs/operations.md).
"""

import os
import signal
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


class Command(BaseCommand):
    help = (
        "Serve the staff UI, the customer portal and the API (waitress), with the worker in "
        "the same process unless --no-worker."
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
        parser.add_argument("--threads", type=int, default=8, help="request threads")

    def handle(self, *args, demo, host, port, no_worker, threads, **options):
        from relaydesk.org.models import Company

        self.say("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        if not demo and Company.current() is None:
            self.stderr.write(NO_COMPANY.format(home=settings.HOME))
            sys.exit(1)
        call_command("collectstatic", interactive=False, verbosity=0)
        if demo:
            self.load_demo()

        server = self.make_server(host, port, threads)
        stop = threading.Event()
        worker = None if no_worker else self.start_worker(stop)
        url = f"http://{host if ':' not in host else f'[{host}]'}:{server.effective_port}/"
        self.record_address(host, server.effective_port)
        worker_note = "with the worker" if worker else "without the worker"
        self.say(f"Relaydesk is serving on {url} ({worker_note}). Stop with Ctrl+C.")
        if host not in ("127.0.0.1", "localhost", "::1") and not os.environ.get(
            "RELAYDESK_ALLOWED_HOSTS"
        ):
            self.say(
                "Note: only requests for 127.0.0.1 and localhost are answered until "
                "RELAYDESK_ALLOWED_HOSTS names the host people use (docs/configuration.md)."
            )

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
        from django.conf import settings
        from django.core.wsgi import get_wsgi_application
        from waitress.server import create_server

        # A form carries at most a few files of the attachment limit each; anything larger is
        # refused by waitress with 413 before it is read (its own default is 1 GB), so an
        # anonymous /contact post cannot make the server buffer an unbounded body.
        max_body = 4 * settings.MAIL_MAX_ATTACHMENT_BYTES + 1024 * 1024
        from relaydesk.replies.warm import warm_up_in_background

        application = get_wsgi_application()
        warm_up_in_background()  # the first reply would otherwise compile the tone check
        try:
            return create_server(
                application,
                host=host,
                port=port,
                threads=threads,
                ident="Relaydesk",
                max_request_body_size=max_body,
            )
        except OSError as error:
            raise CommandError(
                f"Cannot listen on {host}:{port} ({error.strerror}); choose another with --port."
            ) from None

    def start_worker(self, stop: threading.Event) -> threading.Thread | None:
        try:
            from relaydesk.clock.worker import run_worker
        except ImportError as error:
            self.stderr.write(f"The worker is not available ({error}); serving without it.")
            return None
        thread = threading.Thread(target=run_worker, args=(stop,), name="worker", daemon=True)
        thread.start()
        return thread
