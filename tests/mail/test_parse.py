"""Parsing: what the processing sees of a message, including very big and odd ones."""

import os
from email.message import EmailMessage

from relaydesk.intake.mail.parse import HOIST_MIN_LINES, Hoisted, message_key, parse


def with_attachment(payload: bytes, *, filename="big.bin") -> bytes:
    message = EmailMessage()
    message["From"] = "carla@example.com"
    message["To"] = "support@relaydesk.localhost"
    message["Subject"] = "Big file"
    message.set_content("See attached.")
    message.add_attachment(
        payload, maintype="application", subtype="octet-stream", filename=filename
    )
    return bytes(message)


def test_a_big_attachment_is_decoded_exactly_without_the_parser_holding_it():
    payload = os.urandom(300_000)
    raw = with_attachment(payload)

    assert len(Hoisted(raw).blocks) == 1
    parsed = parse(raw)

    assert parsed.text == "See attached."
    (part,) = parsed.attachments
    assert part.name == "big.bin"
    assert part.payload == payload


def test_several_big_attachments_and_crlf_line_ends():
    first, second = os.urandom(200_000), os.urandom(123_457)
    message = EmailMessage()
    message["From"] = "carla@example.com"
    message["Subject"] = "Two"
    message.set_content("Two files.")
    message.add_attachment(first, maintype="image", subtype="png", filename="a.png")
    message.add_attachment(second, maintype="image", subtype="png", filename="b.png")
    raw = bytes(message).replace(b"\n", b"\r\n")

    parsed = parse(raw)

    assert [a.payload for a in parsed.attachments] == [first, second]


def test_long_base64_looking_text_that_is_not_base64_comes_back_unchanged():
    lines = [f"{'A' * 60}{n:08d}" for n in range(HOIST_MIN_LINES + 10)]
    body = "\n".join(lines) + "\n"
    raw = ("From: carla@example.com\nSubject: codes\nContent-Type: text/plain\n\n" + body).encode()

    parsed = parse(raw)

    assert parsed.text == body.strip()


def test_the_message_key_ignores_line_endings_and_added_received_lines():
    body = b"Hello\r\nthere\r\n"
    smtp = b"Received: by mx1\r\nMessage-ID: <a@b>\r\nSubject: x\r\n\r\n" + body
    imap = b"Message-ID: <a@b>\nSubject: x\n\n" + body.replace(b"\r\n", b"\n")

    assert message_key(smtp, "<a@b>") == message_key(imap, "<a@b>")
    assert message_key(smtp, "<a@b>") != message_key(smtp.replace(b"Hello", b"Bye"), "<a@b>")


def test_an_attachment_over_a_megabyte_is_decoded_to_a_spool_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    payload = os.urandom(3 * 1024 * 1024 + 5)

    parsed = parse(with_attachment(payload))

    (part,) = parsed.attachments
    assert part.payload == b""
    assert part.size == len(payload)
    assert part.spooled.read_bytes() == payload
    parsed.discard_spooled()
    assert not part.spooled.exists()
