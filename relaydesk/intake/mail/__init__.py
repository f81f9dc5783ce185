"""Email in: thin transports (SMTP server, IMAP poller) feeding one pure path.

- receive.py   stores the raw bytes and commits, then processes (the one entry point)
- parse.py     raw bytes → a Parsed message (charsets, HTML-only, broken MIME, never raises)
- loops.py     is this mail automatic (auto-replies, bounces, lists)? then never answer it
- threads.py   which case a message belongs to; the per-case reply address
- process.py   what a stored message becomes: a case, a reply, a bounce, a duplicate, or quarantine
- queries.py   the statements every message runs, as fixed SQL (the ORM's building cost more)
- attachments.py files kept under generated names (0600), labelled by the sender's cleaned name
- spool.py     big attachments decoded to disk while processed, locked; leftovers cleaned at start
- rawfiles.py  big raw messages kept as files (0600)
- quarantine.py retry, attach to a case, discard
- smtp.py, imap.py the transports
"""
