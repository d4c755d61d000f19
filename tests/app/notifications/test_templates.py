"""WeChat field limits: values are cut to each kind's limit, counting characters (CJK too)."""

from __future__ import annotations

import datetime as dt

from app.notifications.templates import (
    LIMITS,
    TEMPLATES,
    fit_fields,
    kind_of,
    template_ids,
    wechat_time,
)


def test_a_long_chinese_thing_is_cut_to_twenty_characters_ending_in_an_ellipsis():
    text = "小区东门路灯已经坏了三天晚上出入很不方便请尽快维修谢谢"
    fitted = fit_fields({"thing3": text})["thing3"]
    assert len(fitted) == 20
    assert fitted == text[:19] + "…"


def test_values_within_the_limit_are_unchanged():
    data = {"thing1": "一" * 20, "phrase2": "已受理", "character_string3": "A" * 32}
    assert fit_fields(data) == data


def test_a_phrase_is_cut_to_five_characters_without_an_ellipsis():
    assert fit_fields({"phrase2": "已经受理完毕了"}) == {"phrase2": "已经受理完"}


def test_a_character_string_is_cut_to_thirty_two():
    assert fit_fields({"character_string1": "X" * 40})["character_string1"] == "X" * 32


def test_a_name_is_cut_to_ten_characters():
    fitted = fit_fields({"name4": "欧阳" + "某" * 12})["name4"]
    assert len(fitted) == 10 and fitted.endswith("…")


def test_times_and_dates_are_never_cut():
    data = {"time2": "2026年03月02日 09:00", "date5": "2026年03月02日"}
    assert fit_fields(data) == data


def test_explicit_kinds_win_over_the_field_name():
    assert fit_fields({"remark": "很" * 30}, {"remark": "thing"})["remark"] == "很" * 19 + "…"


def test_non_string_values_become_strings():
    assert fit_fields({"number1": 12}) == {"number1": "12"}


def test_field_kind_comes_from_the_name_without_its_number():
    assert kind_of("character_string12") == "character_string"
    assert kind_of("thing3") == "thing"


def test_every_template_field_has_a_kind_wechat_knows():
    known = set(LIMITS) | {"time", "date", "amount"}
    for template in TEMPLATES.values():
        for name, kind in template.fields:
            assert kind in known and kind_of(name) == kind


def test_template_ids_come_from_the_configured_settings_only():
    config = {"WECHAT_TEMPLATE_REQUEST_PROGRESS": "abc", "WECHAT_TEMPLATE_COMMUNITY_NOTICE": ""}
    assert template_ids(config) == {"request_progress": "abc"}


def test_wechat_time_is_shown_in_shanghai():
    assert wechat_time(dt.datetime(2026, 3, 2, 1, 5)) == "2026年03月02日 09:05"
