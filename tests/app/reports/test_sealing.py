"""The cryptography of reports: sealing, officer keys, the receipt, constant-time comparison."""

from __future__ import annotations

import os
import statistics
import time

import pytest

from app.reports import sealing
from tests.app.reports.world import LIGHT_KDF


def test_texts_round_trip_and_refuse_another_field():
    key = sealing.new_key()
    token = sealing.encrypt(key, "body", {"text": "举报内容"})
    assert "举报" not in token
    assert sealing.decrypt(key, "body", token) == {"text": "举报内容"}
    with pytest.raises(sealing.SealingError):
        sealing.decrypt(key, "message", token)
    with pytest.raises(sealing.SealingError):
        sealing.decrypt(sealing.new_key(), "body", token)


def test_a_report_key_sealed_to_an_officer_opens_only_with_their_private_key():
    officer = sealing.new_officer_key("Key-password-2026", LIGHT_KDF)
    private = sealing.unwrap_officer_key("Key-password-2026", officer)
    report_key = sealing.new_key()
    sealed = sealing.seal_to(officer.public_key_hex, report_key)
    assert sealing.unseal_with(private, sealed) == report_key
    stranger = sealing.unwrap_officer_key(
        "Other-password-1", sealing.new_officer_key("Other-password-1", LIGHT_KDF))
    with pytest.raises(sealing.SealingError):
        sealing.unseal_with(stranger, sealed)


def test_a_wrong_key_password_does_not_unwrap():
    wrapped = sealing.new_officer_key("Key-password-2026", LIGHT_KDF)
    with pytest.raises(sealing.SealingError):
        sealing.unwrap_officer_key("Key-password-2027", wrapped)


def test_receipt_secrets_depend_on_receipt_and_salt_and_split_in_two():
    salt = sealing.new_salt()
    one = sealing.receipt_secrets("1234567812345678", salt, LIGHT_KDF)
    assert one == sealing.receipt_secrets("1234567812345678", salt, LIGHT_KDF)
    assert one.verifier != one.key and len(one.verifier) == len(one.key) == 32
    assert one != sealing.receipt_secrets("1234567812345679", salt, LIGHT_KDF)
    assert one != sealing.receipt_secrets("1234567812345678", sealing.new_salt(), LIGHT_KDF)


def test_the_production_cost_is_argon2id_at_64_mib():
    assert sealing.RECEIPT_KDF == sealing.OFFICER_KDF == sealing.KdfParams(3, 65_536, 4)
    derived = sealing.receipt_secrets("1234567812345678", sealing.new_salt(),
                                      sealing.RECEIPT_KDF)
    assert len(derived.verifier) == 32


def _median_batch_ns(fn, args_list, rounds=300, batch=200) -> list[int]:
    """Interleave the cases round by round (drift hits all alike); per case, batch timings."""
    timings = [[] for _ in args_list]
    for _ in range(rounds):
        for i, args in enumerate(args_list):
            start = time.perf_counter_ns()
            for _ in range(batch):
                fn(*args)
            timings[i].append(time.perf_counter_ns() - start)
    return [statistics.median(t) for t in timings]


def test_comparing_a_wrong_and_a_right_verifier_takes_indistinguishable_time():
    stored = os.urandom(32)
    right = bytes(stored)
    wrong_first = bytes([stored[0] ^ 0xFF]) + stored[1:]
    wrong_last = stored[:-1] + bytes([stored[-1] ^ 0xFF])
    wrong_all = os.urandom(32)
    cases = [(right, stored), (wrong_first, stored), (wrong_last, stored), (wrong_all, stored)]
    assert [sealing.verifiers_match(*c) for c in cases] == [True, False, False, False]
    medians = _median_batch_ns(sealing.verifiers_match, cases)
    # A short-circuiting compare would make "wrong at the first byte" measurably faster than
    # "right"; a constant-time one keeps every case within noise. The bound is generous.
    assert max(medians) / min(medians) < 1.5, medians


def test_a_whole_receipt_check_costs_the_same_for_a_wrong_and_a_right_receipt():
    salt = sealing.new_salt()
    stored = sealing.receipt_secrets("1234567812345678", salt, LIGHT_KDF).verifier

    def check(receipt):
        return sealing.verifiers_match(
            sealing.receipt_secrets(receipt, salt, LIGHT_KDF).verifier, stored)

    cases = [("1234567812345678",), ("1234567812345679",), ("9999999999999999",)]
    assert [check(*c) for c in cases] == [True, False, False]
    medians = _median_batch_ns(check, cases, rounds=60, batch=5)
    assert max(medians) / min(medians) < 1.5, medians
