"""Schemas of the public transparency-log endpoints (checkpoints, records, proofs, keys).

Hashes, keys and signatures are standard base64, as in the signed checkpoint text, so the
output can be fed to ``python -m app.transparency.verify`` unchanged.
"""

import base64

from marshmallow import Schema, fields, validate

from miniprogram_api.schemas.households import LocalDateTime


class Base64Bytes(fields.String):
    """Bytes rendered as standard base64."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else base64.b64encode(value).decode("ascii")


_LOG = {"description": "日志名（origin），如 linli/350500001"}


class CheckpointSchema(Schema):
    log = fields.String(metadata=_LOG)
    town_code = fields.String()
    tree_size = fields.Integer(metadata={"description": "已签名的记录条数"})
    root_hash = Base64Bytes(metadata={"description": "RFC 6962 树根哈希"})
    signed_at = LocalDateTime()
    key_id = fields.String(metadata={"description": "签名公钥的标识，如 linli+1a2b3c4d"})
    checkpoint = fields.String(metadata={"description": "签名的检查点全文（C2SP 格式）"})
    public_key = Base64Bytes(metadata={"description": "Ed25519 公钥"})
    vkey = fields.String(metadata={"description": "校验公钥（name+hash+key），供校验工具使用"})


class LeafSchema(Schema):
    log = fields.String(metadata=_LOG)
    leaf_index = fields.Integer()
    leaf_hash = Base64Bytes(metadata={"description": "SHA-256(0x00 ‖ record)"})
    record_type = fields.String()
    record_id = fields.String()
    record = fields.String(metadata={"description": "被哈希的规范 JSON 原文"})
    created_at = LocalDateTime()


class InclusionQuerySchema(Schema):
    index = fields.Integer(required=True, validate=validate.Range(min=0),
                           metadata={"description": "记录序号（从 0 开始）"})
    tree_size = fields.Integer(required=True, validate=validate.Range(min=1),
                               metadata={"description": "树的大小，一般取检查点的 tree_size"})


class InclusionProofSchema(Schema):
    log = fields.String(metadata=_LOG)
    leaf_index = fields.Integer()
    tree_size = fields.Integer()
    leaf_hash = Base64Bytes()
    root_hash = Base64Bytes()
    path = fields.List(Base64Bytes(), metadata={"description": "审计路径，从叶子一侧开始"})


class ConsistencyQuerySchema(Schema):
    first = fields.Integer(required=True, validate=validate.Range(min=1))
    second = fields.Integer(required=True, validate=validate.Range(min=1))


class ConsistencyProofSchema(Schema):
    log = fields.String(metadata=_LOG)
    first = fields.Integer()
    second = fields.Integer()
    first_root = Base64Bytes()
    second_root = Base64Bytes()
    path = fields.List(Base64Bytes())


class PublicKeySchema(Schema):
    key_id = fields.String()
    name = fields.String()
    public_key = Base64Bytes()
    vkey = fields.String()
    first_used_at = LocalDateTime()
    last_used_at = LocalDateTime()
