"""Precision and recall of the bot's message classifier on the labelled group messages.

    .venv/bin/python bench/bot_classifier.py [--threshold 2.0] [--json]

Reads ``tests/app/bot/labelled_messages.jsonl`` (one ``{"text", "label", "split"}`` per line;
labels chatter, greeting, complaint, repair, noise, ad, insult) and classifies every message
with the seed dictionary. "Request" = complaint, repair or noise; "moderation" = insult.
``test`` is every third message. Caveat: the messages were written before the dictionary, but
the dictionary was then tuned while looking at misses of the whole set (both splits), by the
same author, so these figures are optimistic; real group traffic will score lower.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.bot.classifier import DEFAULT_THRESHOLD, Classifier, Keyword  # noqa: E402
from app.bot.lexicon import SEED  # noqa: E402

LABELLED = ROOT / "tests" / "app" / "bot" / "labelled_messages.jsonl"
REQUEST_LABELS = {"complaint", "repair", "noise"}


def load(path: Path = LABELLED) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0


def measure(rows: list[dict], classifier: Classifier) -> dict:
    """Counts and precision/recall for 'is a request' and 'is an insult/threat'."""
    counts = dict.fromkeys(("tp", "fp", "fn", "tn", "mtp", "mfp", "mfn"), 0)
    for row in rows:
        verdict = classifier.classify(row["text"])
        truth, said = row["label"] in REQUEST_LABELS, verdict.label == "request"
        counts["tp" if truth and said else "fp" if said else "fn" if truth else "tn"] += 1
        bad, flagged = row["label"] == "insult", verdict.label == "moderation"
        if bad or flagged:
            counts["mtp" if bad and flagged else "mfp" if flagged else "mfn"] += 1
    return {
        "messages": len(rows),
        "request_precision": _ratio(counts["tp"], counts["tp"] + counts["fp"]),
        "request_recall": _ratio(counts["tp"], counts["tp"] + counts["fn"]),
        "moderation_precision": _ratio(counts["mtp"], counts["mtp"] + counts["mfp"]),
        "moderation_recall": _ratio(counts["mtp"], counts["mtp"] + counts["mfn"]),
        **counts,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args(argv)
    rows = load()
    started = time.perf_counter()
    classifier = Classifier([Keyword(*k) for k in SEED], args.threshold)
    setup_s = time.perf_counter() - started
    result = {"threshold": args.threshold, "setup_seconds": round(setup_s, 2)}
    for split in ("dev", "test", "all"):
        subset = rows if split == "all" else [r for r in rows if r["split"] == split]
        result[split] = measure(subset, classifier)
    started = time.perf_counter()
    for row in rows:
        classifier.classify(row["text"])
    result["ms_per_message"] = round((time.perf_counter() - started) * 1000 / len(rows), 3)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return result
    print(f"threshold {args.threshold}, {len(rows)} messages, "
          f"{result['ms_per_message']} ms/message")
    print("| split | messages | request P | request R | moderation P | moderation R |")
    print("|---|---:|---:|---:|---:|---:|")
    for split in ("dev", "test", "all"):
        r = result[split]
        print(f"| {split} | {r['messages']} | {r['request_precision']} | "
              f"{r['request_recall']} | {r['moderation_precision']} | "
              f"{r['moderation_recall']} |")
    return result


if __name__ == "__main__":
    main()
