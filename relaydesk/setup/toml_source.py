"""A TOML file's problems in plain words, at their lines: tomllib gives values without positions.

The file's tables are checked by pydantic models; `problems` turns each of pydantic's errors
into a sentence for the person editing the file, at the line its path points to.
"""

import difflib
import json
import re
from collections.abc import Sequence
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(?:#.*)?$")
# What counts when walking an array of inline tables: strings (whose brackets do not count),
# comments, and the brackets themselves.
TOKEN_RE = re.compile(r"\"(?:\\.|[^\"\\])*\"|'[^']*'|#.*|[\[\]{}]")
MUST_BE = {
    "string_type": "text in quotes",
    "bool_type": "true or false",
    "int_type": "a whole number",
    "float_type": "a number",
    "list_type": "a list like [ … ]",
    "date_type": "a date like 2026-11-01 (no quotes)",
    "model_type": 'a table like { key = "…", … }',
}


def written(value: object) -> str:
    """A value the way TOML writes it: "text" in double quotes, true and false in lower case."""
    if isinstance(value, bool):
        return str(value).lower()
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def problems(error: ValidationError, text: str, root: type[BaseModel]) -> list[tuple[int, str]]:
    """Each of the errors found validating `text` as `root`: its line, and what is wrong."""
    source = SourceMap(text)
    return [(source.line(e["loc"]), explain(e, root)) for e in error.errors(include_url=False)]


def explain(error: ErrorDetails, root: type[BaseModel]) -> str:
    """One of pydantic's errors as a sentence, beginning with where it is (`staff[3].tier`)."""
    kind, loc = error["type"], error["loc"]
    where, parent, last = _where(loc), _where(loc[:-1]), loc[-1] if loc else ""
    if kind == "extra_forbidden" and len(loc) == 1:
        return f"unknown section {written(last)}{_instead(root, loc, 'sections')}"
    if kind == "extra_forbidden":
        return f"{parent}: unknown key {written(last)}{_instead(root, loc, 'keys')}"
    if kind == "missing":
        return f"{parent or 'the file'}: needs {written(last)}"
    if len(loc) == 1 and kind == "list_type":
        return f"write {last} as [[{last}]] tables, one per entry"
    if len(loc) == 1 and kind == "model_type":
        return f"write {last} as a [{last}] table"
    if kind == "too_short":
        return f"{where}: list at least one entry"
    if kind in MUST_BE:
        return f"{where}: must be {MUST_BE[kind]}, not {written(error['input'])}"
    context = error.get("ctx") or {}
    return f"{where}: {context.get('sentence') or context.get('error') or error['msg']}"


def _where(loc: tuple[int | str, ...]) -> str:
    """`staff[3].tier`: each entry of a [[section]] counted from 1, as a person counts them."""
    where = ""
    for part in loc:
        where += f"[{part + 1}]" if isinstance(part, int) else f".{part}" if where else part
    return where


def _instead(root: type[BaseModel], loc: tuple[int | str, ...], noun: str) -> str:
    """What the table holding the unknown key at `loc` knows: the likely one, else all."""
    table: type[BaseModel] | None = root
    for part in loc[:-1]:
        if isinstance(part, str) and table is not None:
            field = table.model_fields.get(part)
            table = _model_in(field.annotation) if field else None
    keys = sorted(f.alias or name for name, f in (table.model_fields if table else {}).items())
    likely = difflib.get_close_matches(str(loc[-1]), keys, n=1)
    return f'; did you mean "{likely[0]}"?' if likely else f" (known {noun}: {', '.join(keys)})"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model in an annotation such as `list[Entry] | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next(filter(None, map(_model_in, get_args(annotation))), None)


class SourceMap:
    """Finds the line of a value in the TOML text from its path.

    A path is what a validator reports: `("staff", 2, "tier")` is the `tier =` line of the
    third `[[staff]]` table; `("categories", 0, "fields", 1, "type")` is the line of the second
    inline table in the first category's `fields = [ … ]`. When the exact line cannot be found
    (a key that is missing, say) the nearest enclosing table's line is given instead.
    """

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.headers: list[tuple[int, str]] = []  # (line index, table name)
        for index, line in enumerate(self.lines):
            match = HEADER_RE.match(line)
            if match:
                self.headers.append((index, match.group(2).strip().strip("\"'")))

    def line(self, path: Sequence[int | str]) -> int:
        if not path:
            return 1
        section, rest = str(path[0]), list(path[1:])
        position = rest[0] if rest and isinstance(rest[0], int) else None
        rest = rest[1:] if position is not None else rest
        block = self._block(section, position)
        if block is None:
            return self.top_level(section)
        if not rest:
            return block[0] + 1
        found = self._key(block, str(rest[0]))
        if found is None:
            return block[0] + 1
        if len(rest) > 1 and isinstance(rest[1], int):
            return self._inline_table(found, rest[1]) or found
        return found

    def top_level(self, key: str) -> int:
        """The line of a key before the first table, else of the table named `key`."""
        end = self.headers[0][0] if self.headers else len(self.lines)
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*[=.]")
        for index in range(end):
            if pattern.match(self.lines[index]):
                return index + 1
        block = self._block(key, 0)
        return block[0] + 1 if block else 1

    def _block(self, section: str, position: int | None) -> tuple[int, int] | None:
        """The line indexes of a table: its header, and the next header (or the end)."""
        starts = [index for index, name in self.headers if name == section]
        position = position or 0
        if position >= len(starts):
            return None
        start = starts[position]
        later = [index for index, _ in self.headers if index > start]
        return start, (later[0] if later else len(self.lines))

    def _key(self, block: tuple[int, int], key: str) -> int | None:
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for index in range(block[0] + 1, block[1]):
            if pattern.match(self.lines[index]):
                return index + 1
        return None

    def _inline_table(self, line: int, item: int) -> int | None:
        """The line where the item-th `{` of the array written after `key =` on `line` opens."""
        depth, count = 0, -1
        rows = [self.lines[line - 1].partition("=")[2], *self.lines[line:]]
        for number, row in enumerate(rows, start=line):
            for part in TOKEN_RE.findall(row):
                if part in ("[", "{"):
                    depth += 1
                    if part == "{" and depth == 2:
                        count += 1
                        if count == item:
                            return number
                elif part in ("]", "}"):
                    depth -= 1
                    if depth == 0:
                        return None
        return None
