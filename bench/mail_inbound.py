"""Inbound mail through SMTP on loopback into cases: messages/s, and memory for a big attachment.

`relaydesk mailin` runs as its own process on a free port, on a fresh database.
1. Throughput: N messages from N different customers, 100 per SMTP connection; each is
   answered 250 only after it is stored raw, committed and processed into a case (with its
   acknowledgement queued). Goal on SQLite, 2 cores: ≥ 50 messages/s.
2. Memory: one message with a 20 MB attachment. mailin's resident memory just before, and its
   peak (VmHWM, reset first) while taking it, give the growth. Goal: ≤ 2× the attachment.
3. The mail side's share: `receive()` called in this process (no SMTP), its CPU time per
   message split into the case actions it calls (find_or_create_customer, open_case,
   customer_wrote) and the rest, which is the mail path's own (store, parse, duplicates,
   category, outcome, the two commits).

    python -m bench.mail_inbound                  # SQLite
    RELAYDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/x python -m bench.mail_inbound
    python -m bench.mail_inbound --count 1000 --attachment-mb 20
"""

import argparse
import os
import signal
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

SUPPORT = "support@relaydesk.localhost"
PROJECT = Path(__file__).resolve().parents[1]


def message(number: int, *, attachment: bytes = b"") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = f"Customer {number} <customer.{number}@example.com>"
    mail["To"] = SUPPORT
    mail["Subject"] = f"Problem number {number}: the ticket machine ate my card"
    mail["Message-ID"] = make_msgid(domain="bench.example")
    mail.set_content(f"Hello,\n\nThe machine at platform {number % 12} kept my card.\n\nThanks")
    if attachment:
        mail.add_attachment(
            attachment, maintype="application", subtype="octet-stream", filename="big.bin"
        )
    return mail


def seed() -> None:
    from django.contrib.auth.models import User

    from relaydesk.org.models import Category, Company, Staff, Tier
    from relaydesk.timekeeping import now

    Company.objects.create(name="Bench Rail", time_zone="Europe/Amsterdam")
    Category.objects.create(slug="billing", name="Billing")
    front = Tier.objects.create(slug="frontline", name="Frontline", rank=0)
    Tier.objects.create(slug="executive", name="Executive", rank=1)
    for name in ("fran", "fiona", "frank"):
        user = User.objects.create_user(name, email=f"{name}@acme.example", last_login=now())
        Staff.objects.create(user=user, tier=front)


def proc_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field}")


def start_mailin() -> tuple[subprocess.Popen, int]:
    from relaydesk.intake.mail.smtp import free_port

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "RELAYDESK_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(
        [sys.executable, "-m", "relaydesk.cli", "mailin", "--port", str(port), "--no-imap"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    process.stdout.readline()  # "Relaydesk mailin: SMTP on …" once it listens
    return process, port


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def throughput(port: int, count: int, batch: int, pid: int) -> tuple[float, float]:
    """Messages/s from SMTP DATA to a committed case (the 250 comes after processing), and
    messages per CPU-second of mailin (what one idle core would do)."""
    from relaydesk.cases.models import Case

    # Flattened beforehand, so the sender's own work is not timed.
    messages = [bytes(message(n)).replace(b"\n", b"\r\n") for n in range(count)]
    with smtplib.SMTP("127.0.0.1", port) as client:
        client.send_message(message(10_000_000), to_addrs=[SUPPORT])  # warm-up
    before = Case.objects.count()
    cpu_before = cpu_seconds(pid)
    started = time.perf_counter()
    for start in range(0, count, batch):
        with smtplib.SMTP("127.0.0.1", port) as client:
            for mail in messages[start : start + batch]:
                client.sendmail("customer@example.com", [SUPPORT], mail)
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(pid) - cpu_before
    opened = Case.objects.count() - before
    assert opened == count, f"{opened} cases for {count} messages"
    return count / elapsed, count / cpu


def memory(process: subprocess.Popen, port: int, attachment_mb: int) -> tuple[float, float]:
    """mailin's resident memory before, and its peak while taking one big message (MB)."""
    big = message(20_000_002, attachment=os.urandom(attachment_mb * 1024 * 1024))
    Path(f"/proc/{process.pid}/clear_refs").write_text("5")  # restart the peak (VmHWM)
    before = proc_kb(process.pid, "VmRSS")
    with smtplib.SMTP("127.0.0.1", port, timeout=300) as client:
        client.send_message(big, to_addrs=[SUPPORT])
    peak = proc_kb(process.pid, "VmHWM")
    return before / 1024, peak / 1024


def mail_share(count: int) -> tuple[float, float]:
    """CPU ms per message of receive() in this process, and the part spent in case actions."""
    from relaydesk.cases import actions
    from relaydesk.intake.mail.receive import receive

    spent = [0.0]
    inside = [False]

    def timed(action):
        def wrapper(*args, **kwargs):
            if inside[0]:
                return action(*args, **kwargs)
            inside[0] = True
            started = time.process_time()
            try:
                return action(*args, **kwargs)
            finally:
                spent[0] += time.process_time() - started
                inside[0] = False

        return wrapper

    names = ("find_or_create_customer", "open_case", "customer_wrote")
    originals = {name: getattr(actions, name) for name in names}
    messages = [bytes(message(30_000_000 + n)).replace(b"\n", b"\r\n") for n in range(count + 20)]
    try:
        for name in names:
            setattr(actions, name, timed(originals[name]))
        for raw in messages[count:]:  # warm-up
            receive(raw, source="bench", envelope_from="c@example.com", envelope_to=[SUPPORT])
        spent[0] = 0.0
        started = time.process_time()
        for raw in messages[:count]:
            receive(raw, source="bench", envelope_from="c@example.com", envelope_to=[SUPPORT])
        total = time.process_time() - started
    finally:
        for name, action in originals.items():
            setattr(actions, name, action)
    return total / count * 1000, spent[0] / count * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--batch", type=int, default=100, help="messages per SMTP connection")
    parser.add_argument("--attachment-mb", type=int, default=20)
    parser.add_argument(
        "--share-count", type=int, default=300, help="messages for the in-process split (0: skip)"
    )
    args = parser.parse_args()

    # A line per message would cost (and print) more than what is measured.
    os.environ.setdefault("RELAYDESK_LOG_LEVEL", "WARNING")
    from bench.database import bench_database

    with bench_database() as engine:
        seed()
        process, port = start_mailin()
        try:
            rate, per_cpu_second = throughput(port, args.count, args.batch, process.pid)
            print(
                f"[mail_inbound] {engine}: {args.count} messages over SMTP into cases: "
                f"{rate:.0f} messages/s (goal ≥ 50/s); load average "
                f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; mailin used "
                f"{args.count / per_cpu_second:.1f} CPU-s = {per_cpu_second:.0f} messages per "
                "CPU-second"
            )
            before, after = memory(process, port, args.attachment_mb)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        growth = after - before
        print(
            f"[mail_inbound] {engine}: {args.attachment_mb} MB attachment: mailin peak RSS "
            f"{before:.0f} MB → {after:.0f} MB, growth {growth:.0f} MB = "
            f"{growth / args.attachment_mb:.1f}× the attachment (goal ≤ 2×)"
        )
        if args.share_count:
            total, in_actions = mail_share(args.share_count)
            print(
                f"[mail_inbound] {engine}: receive() in process, {args.share_count} new-case "
                f"messages: {total:.1f} ms CPU a message; case actions {in_actions:.1f} ms, "
                f"mail side {total - in_actions:.1f} ms ({(total - in_actions) / total:.0%})"
            )


if __name__ == "__main__":
    main()
