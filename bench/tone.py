"""How good the tone check is: precision, recall and span accuracy on a labelled set; its speed.

    python -m bench.tone                       # bench/data/tone_replies.jsonl
    python -m bench.tone --show                # also list every miss and false warning
    python -m bench.tone --data other.jsonl    # another labelled set, same format
    python -m bench.tone --rules-only          # without the trained second opinion

The set: one JSON object per line, {"text", "warn": true|false, "spans": [[start, end], …]}
(the offending words of a reply that should warn; "span": "the words" works too), with
"split" and "business". Splits, in the order they were written (docs/tone-check.md has the
figures each had when first measured, before any rule was changed for it): dev (written
after the rules, used to fix them), holdout, fresh … fresh14 (each written later in other
voices, measured once, then used to make the rules more general). The blind sets
(tone_blind.jsonl … tone_blind7.jsonl, issue 14) were each written before the rules were
changed for them and measured once; docs/tone-check.md has their first figures. The
tone_train_more*.jsonl sets (round six) were written for the second opinion to learn from,
each scored once first; the rules and the model are tuned on all of these now. The next
held-out sets (tone_blind8, tone_blind9) are measured by the lead, read by nobody else.

Per reply, warned or not: precision = warned replies that should warn ÷ warned replies;
recall = warned replies that should warn ÷ replies that should warn; span accuracy = of
those, the share where a warning overlaps the offending words. Speed: p95 of check() on a
2,000-character reply. Goals (issue 14): precision ≥ 0.90, recall ≥ 0.85, span ≥ 0.90,
p95 ≤ 2 ms. No database is needed.
"""

import argparse
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.report import heading, latency_line, percentile
from relaydesk.replies import tone_model
from relaydesk.replies.tone import ToneWarning, check_with

DATA = Path(__file__).parent / "data" / "tone_replies.jsonl"
GOALS = {"precision": 0.90, "recall": 0.85, "span": 0.90}
P95_GOAL_MS = 2.0


@dataclass
class Tally:
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    true_neg: int = 0
    span_hits: int = 0
    notes: list[str] = field(default_factory=list)

    def share(self, part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    @property
    def precision(self) -> float:
        return self.share(self.true_pos, self.true_pos + self.false_pos)

    @property
    def recall(self) -> float:
        return self.share(self.true_pos, self.true_pos + self.false_neg)

    @property
    def span(self) -> float:
        return self.share(self.span_hits, self.true_pos)


def labelled(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    for row in rows:
        if "spans" not in row:
            words = row.get("span") or ""
            start = row["text"].find(words) if words else -1
            row["spans"] = [[start, start + len(words)]] if start >= 0 else []
    return rows


MODEL: list[tone_model.Model | None] = [tone_model.loaded()]  # --rules-only: [None]


def check(text: str) -> list[ToneWarning]:
    return check_with(text, MODEL[0])


def score(rows: list[dict]) -> Tally:
    tally = Tally()
    for row in rows:
        warnings = check(row["text"])
        said = [f"{w.rule}: {row['text'][w.start : w.end]!r}" for w in warnings]
        if row["warn"] and warnings:
            tally.true_pos += 1
            if any(w.start < e and s < w.end for w in warnings for s, e in row["spans"]):
                tally.span_hits += 1
            else:
                tally.notes.append(f"wrong words  {row.get('id', '')}: {said}")
        elif row["warn"]:
            tally.false_neg += 1
            tally.notes.append(f"missed       {row.get('id', '')}: {row['text']!r}")
        elif warnings:
            tally.false_pos += 1
            tally.notes.append(f"false alarm  {row.get('id', '')}: {said}")
        else:
            tally.true_neg += 1
    return tally


def quality_line(label: str, rows: list[dict], tally: Tally) -> str:
    return (
        f"{label:<10} n={len(rows):<4} precision {tally.precision:.3f}   recall {tally.recall:.3f}"
        f"   span {tally.span:.3f}   (warned right {tally.true_pos}, false alarms"
        f" {tally.false_pos}, missed {tally.false_neg}, quiet right {tally.true_neg})"
    )


def long_reply(rows: list[dict], size: int = 2000) -> str:
    """A 2,000-character reply made of the set's own sentences, warned and fine."""
    text, i = "", 0
    while len(text) < size:
        text += rows[i % len(rows)]["text"] + ("\n\n" if i % 3 == 2 else " ")
        i += 1
    return text[:size]


def timing(rows: list[dict], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each check (CPU time leaves out waiting for a core on a
    busy machine)."""
    text = long_reply(rows)
    check(text)  # the rules are compiled on first use, as once per process in production
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.thread_time()
        check(text)
        wall.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - started_cpu)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--show", action="store_true", help="list every miss and false alarm")
    parser.add_argument("--rules-only", action="store_true", help="without the trained model")
    args = parser.parse_args()
    if args.rules_only:
        MODEL[0] = None
    rows = labelled(args.data)
    with_model = "rules only" if MODEL[0] is None else "rules + model"
    heading(f"tone check quality on {args.data.name} ({with_model})")
    splits = sorted({row.get("split", "all") for row in rows})
    for split in splits if len(splits) > 1 else []:
        part = [row for row in rows if row.get("split", "all") == split]
        print(quality_line(split, part, score(part)))
    overall = score(rows)
    print(quality_line("all", rows, overall))
    print(
        "goals      "
        + "   ".join(f"{name} ≥ {goal:.2f}" for name, goal in GOALS.items())
        + ("   met" if all(getattr(overall, n) >= g for n, g in GOALS.items()) else "   NOT MET")
    )
    if args.show:
        print("\n".join(overall.notes))
    heading("tone check speed")
    seconds, cpu = timing(rows, args.runs)
    print(latency_line("check() on a 2,000-character reply", seconds))
    print(latency_line("  the same, CPU time only", cpu))
    print(f"load       {' '.join(f'{n:.2f}' for n in os.getloadavg())} (1, 5, 15 min)")
    met = percentile([s * 1000 for s in seconds], 0.95) <= P95_GOAL_MS
    print(f"goal       p95 ≤ {P95_GOAL_MS} ms   {'met' if met else 'NOT MET'}")


if __name__ == "__main__":
    main()
