"""gunicorn settings for the load run on PostgreSQL (`gunicorn -c bench/load/gunicorn_conf.py`).

The app is loaded once in the master (preload) and the tone check's rules are compiled there
before the workers fork, so they share them. Left to the first reply in each worker, the
compile costs that worker ~2 CPU-s (tone_rules.loaded): on a busy 2-core machine a sync worker
then stalls for over 30 s, is killed by gunicorn's timeout, and every request queued behind it
waits (the first run of bench/load saw exactly that: p95 35 s, one reply lost).
"""

preload_app = True
workers = 4
control_socket_disable = True  # not a control socket under ~/.gunicorn per run (FIELD-NOTES)


def when_ready(server):
    from django.db import connections

    from relaydesk.replies.tone import check

    check("Thank you for your patience.")  # compiles the rules, once, here
    connections.close_all()  # no database connection may be shared with the forked workers
