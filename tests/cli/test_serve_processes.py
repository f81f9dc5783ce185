"""`relaydesk serve --processes N`: several processes answer, the worker runs once, and a stop
(SIGTERM, or Ctrl+C's SIGINT) ends every process it started; `--processes 1` serves alone."""

import signal
import subprocess
import sys

import pytest

from tests.cli.processes import (
    REPO,
    alive,
    clean_env,
    descendants,
    free_port,
    relaydesk_command,
    run,
)
from tests.cli.test_serve import Browser, status_of_oversized_post, wait_until_serving

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc for the processes")

ATTACHMENT_LIMIT = 100_000


@pytest.fixture
def company(tmp_path):
    init = run(["init", str(REPO / "examples" / "demo-company.toml")], tmp_path)
    assert init.returncode == 0, init.stderr
    return tmp_path


def start_serving(home, *options: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [*relaydesk_command(), "serve", "--port", str(port), *options],
        cwd=REPO,
        env=clean_env(home, RELAYDESK_MAIL_MAX_ATTACHMENT_BYTES=str(ATTACHMENT_LIMIT)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_until_serving(process, f"http://127.0.0.1:{port}")
    return process, port


def stop(process: subprocess.Popen, how: signal.Signals) -> str:
    process.send_signal(how)
    try:
        output, _ = process.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    return output


def test_two_processes_serve_with_one_worker_and_a_stop_ends_them_all(company):
    process, port = start_serving(company, "--processes", "2", "--threads", "2")
    try:
        started = descendants(process.pid)
        # gunicorn's arbiter and its two serving processes; the worker is a thread of serve.
        assert len(started) == 3
        browser = Browser(f"http://127.0.0.1:{port}")
        for _ in range(6):
            status, _, page = browser.get("/login/")
            assert status == 200 and "csrfmiddlewaretoken" in page
        assert status_of_oversized_post(port) == 413  # gunicorn has no limit: relaydesk.wsgi's
    finally:
        output = stop(process, signal.SIGTERM)

    assert process.returncode == 0, output
    assert "(with the worker; 2 processes of 2 threads)" in output
    assert output.count("worker started") == 1, output
    assert "Relaydesk stopped." in output
    assert not [pid for pid in started if alive(pid)]


def test_ctrl_c_stops_the_serving_processes_too(company):
    process, _ = start_serving(company, "--processes", "2", "--no-worker")
    started = descendants(process.pid)
    output = stop(process, signal.SIGINT)

    assert process.returncode == 0, output
    assert "without the worker" in output and "worker started" not in output
    assert "Relaydesk stopped." in output
    assert started and not [pid for pid in started if alive(pid)]


def test_one_process_serves_by_itself_with_the_worker_beside_it(company):
    process, port = start_serving(company, "--processes", "1")
    try:
        assert descendants(process.pid) == set()
        status, _, _ = Browser(f"http://127.0.0.1:{port}").get("/login/")
        assert status == 200
        assert status_of_oversized_post(port) == 413  # waitress's own limit
    finally:
        output = stop(process, signal.SIGTERM)

    assert process.returncode == 0, output
    assert "(with the worker; 1 process of 8 threads)" in output
    assert output.count("worker started") == 1, output


def test_serve_refuses_no_processes(company):
    result = run(["serve", "--processes", "0", "--port", str(free_port())], company)

    assert result.returncode != 0
    assert "--processes and --threads take a number of 1 or more" in result.stderr
