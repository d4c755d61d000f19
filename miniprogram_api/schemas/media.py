"""Schemas for uploaded images, and the one place that knows an image's URL."""

from marshmallow import Schema, fields

MEDIA_URL = "/api/v1/media/{id}"


def media_url(media_id: int) -> str:
    """Where a client downloads an image (ids only: no names or other personal data in URLs)."""
    return MEDIA_URL.format(id=int(media_id))


class MediaSchema(Schema):
    """A stored image as clients see it; other features nest it for their attachments."""

    id = fields.Integer(required=True)
    mime = fields.String(required=True, metadata={"example": "image/jpeg"})
    width = fields.Integer(required=True)
    height = fields.Integer(required=True)
    size = fields.Integer(required=True, metadata={"description": "存储后（已清除元数据）的字节数"})
    url = fields.Function(lambda media: media_url(media.id),
                          metadata={"description": "下载地址，需携带登录令牌"})
