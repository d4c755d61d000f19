"""The offline verifier: standalone imports, checkpoint and record checks, exit codes.

The round trip on real endpoint output is in tests/miniprogram_api/views/test_transparency.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app.transparency import note, services, verify
from tests.app.transparency.conftest import publish

ROOT = Path(__file__).resolve().parents[3]


def run(*argv: str) -> tuple[int, str]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = verify.main(list(argv))
    return code, out.getvalue()


def test_the_verifier_imports_no_database_web_or_other_app_module():
    probe = ("import sys, app.transparency.verify; "
             "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('app', 'peewee', 'flask', 'playhouse', 'psycopg2', 'marshmallow', 'config'))))")
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.split()
    assert sorted(loaded) == ["app", "app.transparency", "app.transparency.merkle",
                              "app.transparency.note", "app.transparency.rules",
                              "app.transparency.verify"]


def test_the_verifier_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "app.transparency.verify", "--help"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and "consistency" in result.stdout


def signed_note(tree, signer, count=3) -> str:
    publish(tree.town_a.id, count)
    return services.sign_checkpoint(tree.town_a.id, signer=signer).note


def test_a_checkpoint_pasted_from_the_group_message_verifies_with_the_vkey(tree, signer,
                                                                          tmp_path):
    message = tmp_path / "group.txt"
    message.write_text("东海街道透明日志检查点\n请保存这条消息。\n\n" + signed_note(tree, signer)
                       + "校验 / verify: …\n", encoding="utf-8")
    code, out = run("checkpoint", str(message), "--key", signer.vkey)
    assert code == 0
    assert out.startswith("通过：检查点签名有效") and "OK: checkpoint signature valid" in out


def test_a_checkpoint_with_an_altered_size_or_another_key_fails(tree, signer, tmp_path):
    text = signed_note(tree, signer)
    altered = tmp_path / "altered.txt"
    altered.write_text(text.replace("\n3\n", "\n4\n", 1), encoding="utf-8")
    code, out = run("checkpoint", str(altered), "--key", signer.vkey)
    assert code == 1 and out.startswith("未通过：") and "FAILED:" in out

    original = tmp_path / "cp.txt"
    original.write_text(text, encoding="utf-8")
    other = note.vkey("linli", bytes(32))
    assert run("checkpoint", str(original), "--key", other)[0] == 1


def test_keys_are_read_from_a_public_keys_answer_with_several_keys(tree, signer, tmp_path):
    text = signed_note(tree, signer)
    (tmp_path / "cp.txt").write_text(text, encoding="utf-8")
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps({"ok": True, "data": [
        {"vkey": note.vkey("linli", bytes(32))}, {"vkey": signer.vkey}]}), encoding="utf-8")
    assert run("checkpoint", str(tmp_path / "cp.txt"), "--key", str(keys_file))[0] == 0


def leaf_json(leaf: services.Leaf, **changes) -> dict:
    data = {"log": leaf.log, "leaf_index": leaf.leaf_index,
            "leaf_hash": note.b64(leaf.leaf_hash), "record": leaf.record}
    return {**data, **changes}


def test_a_record_matching_its_leaf_hash_passes_and_an_edited_one_fails(tree, tmp_path):
    publish(tree.town_a.id, 2)
    leaf = services.get_leaf(tree.town_a.id, 1)
    good, edited, loose = tmp_path / "good.json", tmp_path / "edited.json", tmp_path / "l.json"
    good.write_text(json.dumps(leaf_json(leaf)), encoding="utf-8")
    edited.write_text(json.dumps(leaf_json(leaf, record=leaf.record.replace("100", "900"))),
                      encoding="utf-8")
    loose.write_text(json.dumps(leaf_json(leaf, record=leaf.record.replace(",", ", "))),
                     encoding="utf-8")
    assert run("record", str(good)) == (0, "通过：记录与叶子哈希一致（第 1 条）\n"
                                           "OK: record matches its leaf hash (leaf 1)\n")
    code, out = run("record", str(edited))
    assert code == 1 and "altered" in out
    assert run("record", str(loose))[0] == 1


def test_unreadable_or_malformed_input_fails_with_a_message(tmp_path):
    code, out = run("record", str(tmp_path / "missing.json"))
    assert code == 1 and "cannot read" in out
    (tmp_path / "x.json").write_text("[1, 2]", encoding="utf-8")
    assert run("record", str(tmp_path / "x.json"))[0] == 1
    (tmp_path / "y.json").write_text('{"record": "{}", "leaf_hash": "short"}', encoding="utf-8")
    code, out = run("record", str(tmp_path / "y.json"))
    assert code == 1 and "leaf_hash" in out
