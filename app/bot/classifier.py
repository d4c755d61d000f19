"""Deciding whether a group message is a request: segmentation plus a weighted dictionary.

Pure apart from the shared segmenter: ``Classifier(keywords).classify(text)`` segments the
text with jieba (every dictionary word is added to the segmenter so it comes out as one token),
sums the weights of the tokens found in each bucket, and answers with a :class:`Verdict`:

* ``moderation`` when the moderation bucket reaches ``MODERATION_THRESHOLD`` (insults, threats);
* ``request`` when the best category score, half the other categories' scores, the problem
  signal and the (negative) ignore score together reach ``threshold`` — the dialog then asks
  "是否登记为诉求？回复 1 确认";
* ``none`` otherwise.

Each token counts once per bucket, so repeating a word does not inflate a score.
"""

from __future__ import annotations

import logging
import os
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from app.bot.lexicon import CATEGORY_TYPES, IGNORE, MODERATION, SIGNAL

DEFAULT_THRESHOLD = 2.0
MODERATION_THRESHOLD = 2.0
# Words of other categories count for less than the best category's own words.
OTHERS_FACTOR = 0.5

_lock = threading.Lock()
_tokenizer = None
_known_words: set[str] = set()
# A fork (gunicorn's preloading master forks its workers right after create_app, which starts
# the warm-up thread) must not happen while another thread holds the lock: the child would
# inherit it locked, with no thread left to release it, and its first group message would wait
# forever — inside its write transaction, so every other write would then time out too. The
# forking thread takes the lock first (waiting for a running warm-up to finish) and both sides
# release it after the fork; the children also inherit the loaded dictionary.
os.register_at_fork(before=_lock.acquire, after_in_parent=_lock.release,
                    after_in_child=_lock.release)


@dataclass(frozen=True)
class Keyword:
    bucket: str
    word: str
    weight: float


@dataclass(frozen=True)
class Verdict:
    label: str  # request | moderation | none
    score: float
    category: str
    request_type: str
    matched: tuple[str, ...] = ()


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII), lower case, collapsed spaces."""
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())


def _segmenter(words: Iterable[str]):
    """The process-wide jieba tokenizer, with every dictionary word added once."""
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            _tokenizer = jieba.Tokenizer()
            _tokenizer.initialize()
        for word in words:
            if word not in _known_words:
                _tokenizer.add_word(word, freq=200_000)
                _known_words.add(word)
    return _tokenizer


def warm_up() -> None:
    """Load jieba's dictionary now (about a second) instead of on the first message."""
    _segmenter(())


def segment(text: str, extra_words: Iterable[str] = ()) -> list[str]:
    return [t for t in _segmenter(extra_words).lcut(normalize(text)) if t.strip()]


class Classifier:
    def __init__(self, keywords: Iterable[Keyword], threshold: float = DEFAULT_THRESHOLD):
        self.threshold = threshold
        self.table: dict[str, list[tuple[str, float]]] = {}
        for kw in keywords:
            self.table.setdefault(normalize(kw.word), []).append((kw.bucket, kw.weight))
        _segmenter(self.table)

    def classify(self, text: str) -> Verdict:
        tokens = segment(text)
        scores: dict[str, float] = {}
        matched: list[str] = []
        seen: set[tuple[str, str]] = set()
        for token in tokens:
            for bucket, weight in self.table.get(token, ()):
                if (bucket, token) in seen:
                    continue
                seen.add((bucket, token))
                scores[bucket] = scores.get(bucket, 0.0) + weight
                matched.append(token)
        categories = {k: v for k, v in scores.items() if k not in (SIGNAL, IGNORE, MODERATION)}
        category = max(sorted(categories), key=lambda k: categories[k]) if categories else "other"
        best = categories.get(category, 0.0)
        others = sum(v for k, v in categories.items() if k != category)
        total = best + OTHERS_FACTOR * others + scores.get(SIGNAL, 0.0) + scores.get(IGNORE, 0.0)
        request_type = CATEGORY_TYPES.get(category, "complaint")
        found = tuple(dict.fromkeys(matched))
        if scores.get(MODERATION, 0.0) >= MODERATION_THRESHOLD:
            return Verdict("moderation", scores[MODERATION], category, request_type, found)
        if total >= self.threshold and (best > 0 or scores.get(SIGNAL, 0.0) >= self.threshold):
            return Verdict("request", total, category, request_type, found)
        return Verdict("none", total, category, request_type, found)
