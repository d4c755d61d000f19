"""The classifier: segmentation, scoring, moderation, and its figures on the labelled set."""

from __future__ import annotations

import os
import threading

import pytest

from app.bot.classifier import Classifier, Keyword, normalize, segment
from app.bot.lexicon import SEED
from bench.bot_classifier import load, measure


@pytest.fixture(scope="module")
def seed_classifier():
    return Classifier([Keyword(*k) for k in SEED])


def test_the_labelled_set_has_at_least_200_messages_of_every_kind():
    rows = load()
    assert len(rows) >= 200
    assert {r["label"] for r in rows} == {"chatter", "greeting", "complaint", "repair", "noise",
                                          "ad", "insult"}


def test_precision_and_recall_stay_above_their_floors(seed_classifier):
    result = measure(load(), seed_classifier)
    assert result["request_precision"] >= 0.9
    assert result["request_recall"] >= 0.85
    assert result["moderation_precision"] >= 0.9
    assert result["moderation_recall"] >= 0.9


def test_dictionary_words_come_out_of_segmentation_as_single_tokens(seed_classifier):
    assert "消防通道" in segment("楼道里堆满了杂物，消防通道都堵了")
    assert "声控灯" in segment("楼道声控灯不亮，已经很多天了")


def test_full_width_text_is_normalised():
    assert normalize("ＡＢＣ　１２３") == "abc 123"


def test_a_repair_report_is_a_request_in_its_category(seed_classifier):
    verdict = seed_classifier.classify("我家厨房的水管漏水了，能帮忙找人修一下吗")
    assert (verdict.label, verdict.category, verdict.request_type) == (
        "request", "water_power", "help")


def test_ads_and_greetings_are_not_requests(seed_classifier):
    assert seed_classifier.classify("专业疏通下水道马桶，24小时上门，电话138xxxx").label == "none"
    assert seed_classifier.classify("路灯修好了，谢谢物业的师傅们").label == "none"


def test_insults_and_threats_are_moderation_not_requests(seed_classifier):
    assert seed_classifier.classify("信不信我弄死你").label == "moderation"
    assert seed_classifier.classify("物业这帮人都是吸血鬼，不得好死").label == "moderation"


def test_repeating_a_word_does_not_raise_the_score():
    classifier = Classifier([Keyword("roads", "路灯", 1.5)], threshold=2.0)
    assert classifier.classify("路灯路灯路灯路灯").score == 1.5
    assert classifier.classify("路灯路灯路灯路灯").label == "none"


def test_the_threshold_decides():
    words = [Keyword("roads", "路灯", 1.5), Keyword("signal", "坏了", 1.0)]
    assert Classifier(words, threshold=2.5).classify("路灯坏了").label == "request"
    assert Classifier(words, threshold=3.0).classify("路灯坏了").label == "none"


def test_a_fork_while_the_warm_up_holds_the_lock_leaves_the_child_a_free_lock():
    from app.bot import classifier

    holding, release = threading.Event(), threading.Event()

    def warm_up():  # stands in for the warm-up thread a preloading gunicorn master starts
        with classifier._lock:
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=warm_up)
    thread.start()
    assert holding.wait(5)
    threading.Timer(0.2, release.set).start()
    pid = os.fork()  # waits for the warm-up to let go of the lock
    if pid == 0:
        os._exit(0 if classifier._lock.acquire(timeout=2) else 1)
    thread.join()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
