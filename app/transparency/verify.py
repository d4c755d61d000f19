"""Offline verifier of the transparency log: ``python -m app.transparency.verify COMMAND``.

Uses only the standard library, PyNaCl and the pure modules :mod:`.merkle`, :mod:`.note` and
:mod:`.rules` (no database, no web framework), so anyone can check what the server published::

    verify record LEAF.json                      # the record hashes to its leaf hash
    verify checkpoint CHECKPOINT --key KEY       # the checkpoint is signed by KEY
    verify inclusion --leaf LEAF.json --proof PROOF.json --checkpoint CHECKPOINT --key KEY
    verify consistency --proof PROOF.json --old CHECKPOINT --new CHECKPOINT --key KEY

Inputs are files (``-`` = standard input) holding what the public endpoints return (the JSON
envelope or just its ``data``): ``…/leaves/<index>``, ``…/proof/inclusion``,
``…/proof/consistency``, ``…/checkpoint``. A CHECKPOINT may also be the signed checkpoint text
itself, e.g. a copy of the message posted to a village group. KEY is a verifier key
(``linli+<hash>+<base64>``) or a file holding one, the ``/public-keys`` answer or a checkpoint
answer. Exit status 0 when everything checks, 1 otherwise, with a Chinese and English message.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

from app.transparency import merkle, note, rules


class Failed(Exception):
    """A check did not pass: ``zh`` and ``en`` say why."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def _read(path: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise Failed(f"无法读取 {path}", f"cannot read {path}: {exc.strerror}") from exc


def _json(path: str, text: str | None = None) -> dict:
    try:
        value = json.loads(_read(path) if text is None else text)
    except ValueError as exc:
        raise Failed(f"{path} 不是 JSON", f"{path} is not JSON") from exc
    if isinstance(value, dict) and "ok" in value and isinstance(value.get("data"), dict):
        value = value["data"]  # the API envelope
    if not isinstance(value, dict):
        raise Failed(f"{path} 内容不对", f"{path} does not hold an object")
    return value


def _field(data: dict, name: str, kind: type):
    value = data.get(name)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        raise Failed(f"缺少字段 {name}", f"missing or malformed field {name!r}")
    return value


def _hash(data: dict, name: str) -> bytes:
    try:
        return note.unb64(_field(data, name, str), length=merkle.HASH_SIZE)
    except note.NoteError as exc:
        raise Failed(f"字段 {name} 不是 32 字节的 base64",
                     f"{name} is not 32 bytes of base64") from exc


def _path(data: dict) -> list[bytes]:
    items = _field(data, "path", list)
    return [_hash({"path": item}, "path") for item in items]


def _keys(spec: str) -> list[note.VerifierKey]:
    text = _read(spec) if spec == "-" or os.path.exists(spec) else spec
    found = re.findall(r"[^\s\"'+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]{44}", text)
    keys = []
    for candidate in dict.fromkeys(found):
        try:
            keys.append(note.parse_vkey(candidate))
        except note.NoteError:
            continue
    if not keys:
        raise Failed("没有找到可用的公钥", "no usable verifier key (name+hash+key) given")
    return keys


def _note_text(spec: str) -> str:
    text = _read(spec)
    if text.lstrip().startswith("{"):
        return _field(_json(spec, text), "checkpoint", str)
    lines = text.replace("\r\n", "\n").split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith(note.ORIGIN_PREFIX)), None)
    ends = [i for i, line in enumerate(lines) if line.startswith(note.SIGNATURE_DASH + " ")]
    if start is None or not ends:
        raise Failed("没有找到签名的检查点", "no signed checkpoint found")
    return "\n".join(lines[start:ends[-1] + 1]) + "\n"


def open_checkpoint(spec: str, key_spec: str) -> note.Checkpoint:
    """The checkpoint in ``spec`` if one of the keys in ``key_spec`` signed it."""
    text, problems = _note_text(spec), []
    for key in _keys(key_spec):
        try:
            return note.open_checkpoint(text, key)
        except note.NoteError as exc:
            problems.append(str(exc))
    raise Failed("检查点签名无效或不是该公钥签的",
                 f"checkpoint signature does not verify ({'; '.join(problems)})")


def check_record(leaf: dict) -> bytes:
    """The leaf hash recomputed from the record; must equal the published one."""
    record = _field(leaf, "record", str)
    try:
        canonical = rules.canonical_json(json.loads(record))
    except ValueError as exc:
        raise Failed("记录不是合法的 JSON", "the record is not valid JSON") from exc
    data = record.encode("utf-8")
    if canonical != data:
        raise Failed("记录不是规范 JSON 格式", "the record is not in canonical JSON form")
    computed = merkle.leaf_hash(data)
    if computed != _hash(leaf, "leaf_hash"):
        raise Failed("记录内容与叶子哈希不符（记录被改动过）",
                     "the record does not hash to its leaf hash (it was altered)")
    return computed


def _same_log(*origins: str) -> None:
    if len(set(origins)) != 1:
        raise Failed("这些材料不属于同一个日志", f"inputs belong to different logs: {set(origins)}")


def cmd_record(args) -> tuple[str, str]:
    leaf = _json(args.leaf)
    check_record(leaf)
    return (f"记录与叶子哈希一致（第 {leaf.get('leaf_index')} 条）",
            f"record matches its leaf hash (leaf {leaf.get('leaf_index')})")


def cmd_checkpoint(args) -> tuple[str, str]:
    cp = open_checkpoint(args.checkpoint, args.key)
    return (f"检查点签名有效：{cp.origin} 共 {cp.size} 条",
            f"checkpoint signature valid: {cp.origin}, tree size {cp.size}")


def cmd_inclusion(args) -> tuple[str, str]:
    cp = open_checkpoint(args.checkpoint, args.key)
    leaf, proof = _json(args.leaf), _json(args.proof)
    leaf_hash = check_record(leaf)
    index, size = _field(proof, "leaf_index", int), _field(proof, "tree_size", int)
    _same_log(cp.origin, _field(leaf, "log", str), _field(proof, "log", str))
    if size != cp.size:
        raise Failed(f"证明针对 {size} 条的树，检查点是 {cp.size} 条",
                     f"proof is for tree size {size}, checkpoint has {cp.size}")
    if index != _field(leaf, "leaf_index", int):
        raise Failed("证明与记录的序号不同", "proof and leaf have different indexes")
    if not merkle.verify_inclusion(index, size, leaf_hash, _path(proof), cp.root):
        raise Failed("包含证明无效：该记录不在检查点所签的日志中",
                     "inclusion proof invalid: the record is not in the signed log")
    return (f"记录第 {index} 条包含在已签名的检查点（{size} 条）中",
            f"leaf {index} is included in the signed checkpoint of size {size}")


def cmd_consistency(args) -> tuple[str, str]:
    old = open_checkpoint(args.old, args.key)
    new = open_checkpoint(args.new, args.key)
    proof = _json(args.proof)
    first, second = _field(proof, "first", int), _field(proof, "second", int)
    _same_log(old.origin, new.origin, _field(proof, "log", str))
    if (first, second) != (old.size, new.size):
        raise Failed("证明的大小与两个检查点不符",
                     f"proof is {first}->{second}, checkpoints are {old.size}->{new.size}")
    if not merkle.verify_consistency(first, second, _path(proof), old.root, new.root):
        raise Failed("一致性证明无效：新日志改写了旧记录",
                     "consistency proof invalid: the newer log rewrote history")
    return (f"新检查点（{second} 条）是旧检查点（{first} 条）的延续，旧记录未被改动",
            f"checkpoint {second} extends checkpoint {first}: history unchanged")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app.transparency.verify",
                                     description="离线校验透明日志 / verify the transparency log")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("record", help="记录与叶子哈希 / a record against its leaf hash")
    p.add_argument("leaf", help="…/leaves/<index> 的输出")
    p.set_defaults(run=cmd_record)
    p = sub.add_parser("checkpoint", help="检查点签名 / a checkpoint signature")
    p.add_argument("checkpoint")
    p.add_argument("--key", required=True)
    p.set_defaults(run=cmd_checkpoint)
    p = sub.add_parser("inclusion", help="包含证明 / an inclusion proof against a checkpoint")
    for name in ("--leaf", "--proof", "--checkpoint", "--key"):
        p.add_argument(name, required=True)
    p.set_defaults(run=cmd_inclusion)
    p = sub.add_parser("consistency", help="一致性证明 / a consistency proof between checkpoints")
    for name in ("--proof", "--old", "--new", "--key"):
        p.add_argument(name, required=True)
    p.set_defaults(run=cmd_consistency)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        zh, en = args.run(args)
    except Failed as failure:
        print(f"未通过：{failure.zh}\nFAILED: {failure.en}")
        return 1
    print(f"通过：{zh}\nOK: {en}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
