"""Public transparency-log endpoints, and the offline verifier on what they return."""

from __future__ import annotations

import base64
import contextlib
import io
import json

import pytest

from app.db import database
from app.transparency import keys, merkle, services, verify
from tests.factories import bearer, build_tree, make_user

BASE = "/api/v1/transparency"
SIGNER = keys.signer_from_seed(b"\x11" * 32)


@pytest.fixture
def tree():
    return build_tree()


def publish(log_id: int, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        with database.atomic():
            services.append_record(log_id, "disclosure", n,
                                   {"title": f"第{n}期村务公开", "amount_fen": n})


def data_of(res, status=200):
    assert res.status_code == status, res.get_json()
    return res.get_json()["data"]


def error_of(res, status):
    assert res.status_code == status
    return res.get_json()["error"]["code"]


def test_the_latest_checkpoint_and_its_key_are_public(client, tree):
    publish(tree.town_a.id, 5)
    services.sign_checkpoint(tree.town_a.id, signer=SIGNER)
    data = data_of(client.get(f"{BASE}/350500001/checkpoint"))
    head = services.current_root(tree.town_a.id)
    assert data["log"] == "linli/350500001" and data["tree_size"] == 5
    assert base64.b64decode(data["root_hash"]) == head.root_hash
    assert data["checkpoint"].startswith("linli/350500001\n5\n")
    assert (data["key_id"], data["vkey"]) == (SIGNER.key_id, SIGNER.vkey)
    assert base64.b64decode(data["public_key"]) == SIGNER.public_key
    assert data["signed_at"].endswith("+08:00")
    keys_listed = data_of(client.get(f"{BASE}/public-keys"))
    assert [k["vkey"] for k in keys_listed] == [SIGNER.vkey]


def test_a_leaf_is_served_with_its_canonical_record_and_hash(client, tree):
    publish(tree.town_a.id, 3)
    data = data_of(client.get(f"{BASE}/350500001/leaves/2"))
    assert data["record"] == ('{"body":{"amount_fen":2,"title":"第2期村务公开"},'
                              '"record_id":"2","record_type":"disclosure"}')
    assert base64.b64decode(data["leaf_hash"]) == merkle.leaf_hash(data["record"].encode())
    by_record = data_of(client.get(f"{BASE}/350500001/records/disclosure/2"))
    assert by_record == data


def test_proof_endpoints_return_proofs_that_verify(client, tree):
    publish(tree.town_a.id, 11)
    proof = data_of(client.get(f"{BASE}/350500001/proof/inclusion?index=6&tree_size=9"))
    path = [base64.b64decode(p) for p in proof["path"]]
    assert merkle.verify_inclusion(6, 9, base64.b64decode(proof["leaf_hash"]), path,
                                   base64.b64decode(proof["root_hash"]))
    proof = data_of(client.get(f"{BASE}/350500001/proof/consistency?first=3&second=11"))
    path = [base64.b64decode(p) for p in proof["path"]]
    assert merkle.verify_consistency(3, 11, path, base64.b64decode(proof["first_root"]),
                                     base64.b64decode(proof["second_root"]))


@pytest.mark.parametrize("url, status, code", [
    ("/999/checkpoint", 404, "transparency.log_not_found"),
    ("/350500001a1/checkpoint", 404, "transparency.log_not_found"),  # a village, not a town
    ("/350500002/checkpoint", 404, "transparency.no_checkpoint"),
    ("/350500001/leaves/2", 404, "transparency.leaf_not_found"),
    ("/350500001/records/disclosure/7", 404, "transparency.record_not_found"),
    ("/350500001/proof/inclusion?index=0&tree_size=3", 422, "transparency.bad_tree_size"),
    ("/350500001/proof/inclusion?index=2&tree_size=2", 422, "transparency.bad_index"),
    ("/350500001/proof/inclusion?index=-1&tree_size=2", 422, "validation.failed"),
    ("/350500001/proof/inclusion?tree_size=2", 422, "validation.failed"),
    ("/350500001/proof/consistency?first=2&second=1", 422, "transparency.bad_range"),
    ("/350500001/proof/consistency?first=0&second=1", 422, "validation.failed"),
])
def test_bad_requests_get_stable_error_codes(client, tree, url, status, code):
    publish(tree.town_a.id, 2)
    assert error_of(client.get(BASE + url), status) == code


def test_the_log_is_read_only_over_http(client, tree):
    publish(tree.town_a.id, 1)
    staff = make_user()
    for method in (client.post, client.put, client.delete):
        res = method(f"{BASE}/350500001/leaves/0", json={}, headers=bearer(staff, "staff"))
        assert res.status_code == 405


def test_the_endpoints_are_in_the_openapi_document_without_login(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/public-keys", "/{town_code}/checkpoint", "/{town_code}/leaves/{index}",
                 "/{town_code}/proof/inclusion", "/{town_code}/proof/consistency",
                 "/{town_code}/records/{record_type}/{record_id}"):
        operation = spec["paths"][BASE + path]["get"]
        assert "security" not in operation


def run_verifier(*argv) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = verify.main([str(a) for a in argv])
    return code, out.getvalue()


def save(tmp_path, name: str, res) -> str:
    assert res.status_code == 200
    path = tmp_path / name
    path.write_bytes(res.data)  # exactly what the server sent, envelope included
    return str(path)


def test_the_verifier_round_trip_on_real_endpoint_output(client, tree, tmp_path):
    town = "/350500001"
    publish(tree.town_a.id, 6)
    services.sign_checkpoint(tree.town_a.id, signer=SIGNER)
    old = save(tmp_path, "old.json", client.get(BASE + town + "/checkpoint"))
    publish(tree.town_a.id, 7, start=6)
    services.sign_checkpoint(tree.town_a.id, signer=SIGNER)
    new = save(tmp_path, "new.json", client.get(BASE + town + "/checkpoint"))
    key = save(tmp_path, "keys.json", client.get(BASE + "/public-keys"))
    leaf = save(tmp_path, "leaf.json", client.get(BASE + town + "/leaves/4"))
    inclusion = save(tmp_path, "inclusion.json",
                     client.get(BASE + town + "/proof/inclusion?index=4&tree_size=13"))
    consistency = save(tmp_path, "consistency.json",
                       client.get(BASE + town + "/proof/consistency?first=6&second=13"))

    assert run_verifier("record", leaf)[0] == 0
    assert run_verifier("checkpoint", new, "--key", key)[0] == 0
    code, out = run_verifier("inclusion", "--leaf", leaf, "--proof", inclusion,
                             "--checkpoint", new, "--key", key)
    assert code == 0 and "leaf 4 is included in the signed checkpoint of size 13" in out
    code, out = run_verifier("consistency", "--proof", consistency, "--old", old, "--new", new,
                             "--key", key)
    assert code == 0 and "history unchanged" in out

    # A proof for another tree size, or against the wrong checkpoint, does not pass.
    assert run_verifier("inclusion", "--leaf", leaf, "--proof", inclusion,
                        "--checkpoint", old, "--key", key)[0] == 1
    assert run_verifier("consistency", "--proof", consistency, "--old", new, "--new", old,
                        "--key", key)[0] == 1
    # An edited record fails even with a genuine proof.
    edited = json.loads(open(leaf, encoding="utf-8").read())
    edited["data"]["record"] = edited["data"]["record"].replace('"amount_fen":4',
                                                                '"amount_fen":40')
    (tmp_path / "edited.json").write_text(json.dumps(edited), encoding="utf-8")
    code, out = run_verifier("inclusion", "--leaf", tmp_path / "edited.json", "--proof",
                             inclusion, "--checkpoint", new, "--key", key)
    assert code == 1 and "altered" in out
    # A tampered proof element is rejected.
    tampered = json.loads(open(inclusion, encoding="utf-8").read())
    tampered["data"]["path"][0] = base64.b64encode(b"\x00" * 32).decode()
    (tmp_path / "tampered.json").write_text(json.dumps(tampered), encoding="utf-8")
    code, out = run_verifier("inclusion", "--leaf", leaf, "--proof", tmp_path / "tampered.json",
                             "--checkpoint", new, "--key", key)
    assert code == 1 and "inclusion proof invalid" in out
