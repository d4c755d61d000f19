"""The filesystem storage writes atomically and only where a random key says."""

from __future__ import annotations

import pytest

from app.media.storage import FileSystemStorage, new_key


def test_put_then_get_round_trips_under_a_fan_out_directory(tmp_path):
    storage = FileSystemStorage(tmp_path)
    key = new_key()
    storage.put(key, b"pixels")
    assert storage.get(key) == b"pixels"
    assert storage.path_for(key) == tmp_path / key[:2] / key
    assert [p.name for p in (tmp_path / key[:2]).iterdir()] == [key]  # no temp file left


def test_delete_is_idempotent(tmp_path):
    storage = FileSystemStorage(tmp_path)
    key = new_key()
    storage.put(key, b"x")
    storage.delete(key)
    storage.delete(key)
    with pytest.raises(FileNotFoundError):
        storage.get(key)


@pytest.mark.parametrize("key", ["../../etc/passwd", "/etc/passwd", "photo.jpg", "",
                                 "ab" * 16 + "/..", "AB" * 16, "..", None])
def test_keys_that_are_not_random_hex_are_refused(tmp_path, key):
    storage = FileSystemStorage(tmp_path)
    for call in (lambda: storage.put(key, b"x"), lambda: storage.get(key),
                 lambda: storage.delete(key)):
        with pytest.raises(ValueError):
            call()


def test_a_failed_write_leaves_neither_file_nor_temp_file(tmp_path, monkeypatch):
    storage = FileSystemStorage(tmp_path)
    key = new_key()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr("app.media.storage.os.replace", broken_replace)
    with pytest.raises(OSError):
        storage.put(key, b"x")
    assert list((tmp_path / key[:2]).iterdir()) == []
