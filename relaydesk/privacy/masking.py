"""Rule 15's masks, re-exported: the pure functions live in `relaydesk.org.masks` (the base
layer) so cases can mask the texts it composes (digest mails, warnings) without importing
privacy, which sits above it."""

from relaydesk.org.masks import (
    DOTS,
    hide_in_data,
    hide_in_text,
    mask_addresses,
    mask_email,
    mask_phone,
)

__all__ = ["DOTS", "hide_in_data", "hide_in_text", "mask_addresses", "mask_email", "mask_phone"]
