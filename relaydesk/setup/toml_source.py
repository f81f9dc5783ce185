"""Where things are in a TOML file's text: tomllib gives values without positions."""

import re

HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(?:#.*)?$")


class SourceMap:
    """Finds the line of a table or key in the TOML text, for error messages.

    tomllib gives values without positions, so this scans the text for table headers
    (`[company]`, the n-th `[[staff]]`) and for `key =` lines inside a table's block.
    """

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.headers: list[tuple[int, str]] = []  # (line index, table name)
        for index, line in enumerate(self.lines):
            match = HEADER_RE.match(line)
            if match:
                self.headers.append((index, match.group(2).strip().strip("\"'")))

    def _block(self, section: str, position: int | None) -> tuple[int, int] | None:
        starts = [index for index, name in self.headers if name == section]
        if position is None:
            position = 0
        if position >= len(starts):
            return None
        start = starts[position]
        later = [index for index, _ in self.headers if index > start]
        return start, (later[0] if later else len(self.lines))

    def table(self, section: str, position: int | None = None) -> int:
        block = self._block(section, position)
        return block[0] + 1 if block else 1

    def key(self, section: str, position: int | None, key: str) -> int:
        """The line of `key = …` in the table, else the table's own line."""
        block = self._block(section, position)
        if block is None:
            return self.top_level(key)
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for index in range(block[0] + 1, block[1]):
            if pattern.match(self.lines[index]):
                return index + 1
        return block[0] + 1

    def text(self, section: str, position: int | None, *needles: str) -> int:
        """The first line in the table that contains all `needles` (for inline tables)."""
        block = self._block(section, position)
        if block is None:
            return 1
        for index in range(block[0], block[1]):
            if all(needle in self.lines[index] for needle in needles):
                return index + 1
        return block[0] + 1

    def top_level(self, key: str) -> int:
        end = self.headers[0][0] if self.headers else len(self.lines)
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*[=.]")
        for index in range(end):
            if pattern.match(self.lines[index]):
                return index + 1
        block = self._block(key, 0)
        return block[0] + 1 if block else 1
