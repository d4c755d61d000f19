"""DATABASE_REPLICA_URL: empty by default, validated like DATABASE_URL, same engine."""

from __future__ import annotations

import pytest

from config.settings import ConfigError, load_settings

PRIMARY = "postgresql://linli:pw@10.0.0.20:5432/linli"


def test_no_replica_by_default():
    assert load_settings({}).database_replica_url == ""
    assert load_settings({"DATABASE_REPLICA_URL": "  "}).database_replica_url == ""


def test_a_replica_url_is_read_from_the_environment():
    settings = load_settings({"DATABASE_URL": PRIMARY,
                              "DATABASE_REPLICA_URL": "postgresql://ro:pw@10.0.0.21:5432/linli"})
    assert settings.database_replica_url == "postgresql://ro:pw@10.0.0.21:5432/linli"


def test_a_replica_url_of_an_unknown_scheme_is_refused():
    with pytest.raises(ConfigError, match="DATABASE_REPLICA_URL must start with"):
        load_settings({"DATABASE_URL": PRIMARY, "DATABASE_REPLICA_URL": "mysql://x/linli"})


def test_a_replica_on_another_engine_than_the_primary_is_refused():
    with pytest.raises(ConfigError, match="same engine"):
        load_settings({"DATABASE_URL": PRIMARY,
                       "DATABASE_REPLICA_URL": "sqlite:////tmp/replica.db"})
