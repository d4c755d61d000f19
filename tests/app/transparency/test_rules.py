"""What a leaf holds: canonical JSON of the record, and nothing personal."""

from __future__ import annotations

import pytest

from app.transparency import rules


def test_canonical_json_sorts_keys_drops_whitespace_and_keeps_chinese_as_utf8():
    data = rules.canonical_json({"b": [1, {"z": None, "a": True}], "a": "东星社区"})
    assert data == '{"a":"东星社区","b":[1,{"a":true,"z":null}]}'.encode()


def test_a_leaf_is_the_record_document_with_type_and_id():
    assert rules.leaf_bytes("disclosure", 7, {"title": "公开"}) == (
        '{"body":{"title":"公开"},"record_id":"7","record_type":"disclosure"}'.encode())


@pytest.mark.parametrize("key", ["phone", "applicant_phone", "Mobile", "openid", "unionid",
                                 "id_card", "idCard", "holder_id_number", "id-no", "身份证号",
                                 "联系电话", "手机"])
def test_bodies_with_personal_fields_are_refused_at_any_depth(key):
    with pytest.raises(ValueError, match="personal"):
        rules.leaf_bytes("seal_use", 1, {"items": [{"ok": 1, key: "x"}]})


@pytest.mark.parametrize("key", ["paid_number", "voucher_no", "amount_fen", "video_url",
                                 "record_id"])
def test_ordinary_fields_that_only_look_similar_are_accepted(key):
    assert rules.leaf_bytes("disclosure", 1, {key: "x"})


@pytest.mark.parametrize("body", [{"amount": 1.5}, {"x": float("nan")}, {"when": object()},
                                  {1: "non-string key"}])
def test_floats_and_non_json_values_are_refused(body):
    with pytest.raises(ValueError):
        rules.leaf_bytes("disclosure", 1, body)


@pytest.mark.parametrize("record_type, record_id, body", [
    ("Disclosure", 1, {}), ("", 1, {}), ("disclosure", "", {}), ("disclosure", "x" * 65, {}),
    ("disclosure", 1, ["not", "an", "object"]),
])
def test_malformed_records_are_refused(record_type, record_id, body):
    with pytest.raises(ValueError):
        rules.leaf_bytes(record_type, record_id, body)


def test_records_over_the_size_limit_are_refused():
    with pytest.raises(ValueError, match="at most"):
        rules.leaf_bytes("disclosure", 1, {"text": "字" * rules.MAX_RECORD_BYTES})
