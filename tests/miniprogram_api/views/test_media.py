"""Uploading and downloading images over HTTP: multipart in, bare bytes out, envelope on error."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import ExifTags, Image

from app.accounts.tokens import load_actor
from app.media import services
from app.media.models import Media
from tests.app.media import samples
from tests.factories import bearer, make_user


@pytest.fixture(autouse=True)
def media_root(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "media"))
    return tmp_path / "media"


def post_file(client, data, headers=None, *, name="photo.jpg", field="file"):
    return client.post("/api/v1/media", headers=headers or {},
                       data={field: (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_upload_then_download_round_trip(client, media_root):
    user = make_user()
    res = post_file(client, samples.jpeg_bytes((30, 10), gps=True), bearer(user),
                    name="张三家门口.jpg")
    assert res.status_code == 201
    body = res.get_json()["data"]
    assert {k: body[k] for k in ("mime", "width", "height")} == {
        "mime": "image/jpeg", "width": 30, "height": 10}
    assert body["url"] == f"/api/v1/media/{body['id']}"

    got = client.get(body["url"], headers=bearer(user))
    assert got.status_code == 200
    assert got.mimetype == "image/jpeg"
    assert "private" in got.headers["Cache-Control"]
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert len(got.data) == body["size"]
    assert Image.open(io.BytesIO(got.data)).getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}

    media = Media.get_by_id(body["id"])
    assert hashlib.sha256(got.data).hexdigest() == media.sha256
    stored = [p.name for p in media_root.rglob("*") if p.is_file()]
    assert stored == [media.storage_key]  # named by the random key, not the client's filename


def test_download_answers_304_to_a_matching_etag(client):
    user = make_user()
    media_id = post_file(client, samples.png_bytes(), bearer(user)).get_json()["data"]["id"]
    first = client.get(f"/api/v1/media/{media_id}", headers=bearer(user))
    again = client.get(f"/api/v1/media/{media_id}",
                       headers={**bearer(user), "If-None-Match": first.headers["ETag"]})
    assert first.mimetype == "image/png"
    assert again.status_code == 304


def test_upload_and_download_need_a_token(client):
    res = post_file(client, samples.jpeg_bytes())
    assert res.status_code == 401
    assert res.get_json()["error"]["code"] == "auth.required"
    assert client.get("/api/v1/media/1").status_code == 401
    assert Media.select().count() == 0


def test_another_users_unattached_upload_is_not_found(client):
    owner, stranger = make_user(), make_user()
    media_id = post_file(client, samples.jpeg_bytes(), bearer(owner)).get_json()["data"]["id"]
    for media_id_asked in (media_id, media_id + 100):
        res = client.get(f"/api/v1/media/{media_id_asked}", headers=bearer(stranger))
        assert res.status_code == 404
        assert res.get_json() == {"ok": False, "error": {
            "code": "media.not_found", "message": "找不到这张图片", "details": {}}}


def test_attached_image_is_served_to_whom_the_feature_allows(client):
    owner, viewer = make_user(), make_user()
    actor = load_actor(owner)
    media_id = post_file(client, samples.jpeg_bytes(), bearer(owner)).get_json()["data"]["id"]
    services.attach_media(actor, [media_id], "viewtest:7", limit=9)
    from app.media.policies import register_visibility, unregister_visibility

    register_visibility("viewtest", lambda a, target: a.user_id == viewer.id)
    try:
        assert client.get(f"/api/v1/media/{media_id}", headers=bearer(viewer)).status_code == 200
    finally:
        unregister_visibility("viewtest")
    assert client.get(f"/api/v1/media/{media_id}", headers=bearer(viewer)).status_code == 404


@pytest.mark.parametrize("data,name", [(samples.HTML, "photo.jpg"), (samples.SVG, "a.svg"),
                                       (samples.zip_bytes(), "photo.jpg")])
def test_disguised_files_are_rejected_in_the_envelope(client, data, name):
    res = post_file(client, data, bearer(make_user()), name=name)
    assert res.status_code == 422
    body = res.get_json()
    assert body["ok"] is False
    assert body["error"]["code"] == "media.unsupported_type"
    assert body["error"]["message"] == "只支持上传 JPEG、PNG 或 WebP 格式的图片"


def test_oversize_upload_is_413_media_too_large(client, monkeypatch):
    monkeypatch.setattr(services, "MAX_BYTES", 1024)
    res = post_file(client, samples.jpeg_bytes((400, 400), color="white") + b"\0" * 2048,
                    bearer(make_user()))
    assert res.status_code == 413
    assert res.get_json()["error"]["code"] == "media.too_large"


def test_missing_file_field_is_422(client):
    res = post_file(client, samples.jpeg_bytes(), bearer(make_user()), field="photo")
    assert res.status_code == 422
    assert res.get_json()["error"] == {"code": "request.file_missing",
                                       "message": "请选择要上传的文件",
                                       "details": {"field": "file"}}


def test_openapi_documents_multipart_upload_and_binary_download(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    upload = spec["paths"]["/api/v1/media"]["post"]
    form = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["required"] == ["file"]
    assert form["properties"]["file"] == {"type": "string", "format": "binary"}
    assert upload["responses"]["201"]["content"]["application/json"]["schema"][
        "properties"]["data"]["$ref"].endswith("/Media")
    assert "413" in upload["responses"]
    download = spec["paths"]["/api/v1/media/{media_id}"]["get"]
    assert set(download["responses"]["200"]["content"]) == {"image/jpeg", "image/png",
                                                            "image/webp"}
    assert download["security"] == [{"bearerAuth": []}]


def test_a_body_over_the_request_limit_is_refused_before_parsing(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    res = post_file(client, samples.jpeg_bytes((400, 400)) + b"\0" * 4096, bearer(make_user()))
    assert res.status_code == 413
    assert res.get_json()["error"]["code"] == "request.too_large"
