"""Staff edit the classifier dictionary: defaults by sysadmins, a town's words by its admin."""

from __future__ import annotations

import pytest

from app.bot import dictionary
from app.bot.models import BotKeyword
from app.errors import Forbidden, InvalidInput, NotFound


def test_seeding_is_idempotent(bot_town):
    assert dictionary.ensure_seed_dictionary() == 0
    assert BotKeyword.select().where(BotKeyword.town == 0).count() > 200


def test_a_town_word_changes_that_towns_classifier_only(bot_town):
    town = bot_town.tree.town_a
    text = "小区里的流浪猫太多了"
    assert dictionary.classifier_for(town.id).classify(text).label == "none"
    dictionary.save_keyword(bot_town.actor(bot_town.town_admin), word="流浪猫", bucket="safety",
                            weight=2.5, town_id=town.id)
    assert dictionary.classifier_for(town.id).classify(text).label == "request"
    assert dictionary.classifier_for(bot_town.tree.town_b.id).classify(text).label == "none"


def test_weight_zero_switches_a_default_word_off_in_a_town(bot_town):
    town = bot_town.tree.town_a
    dictionary.save_keyword(bot_town.actor(bot_town.town_admin), word="废物",
                            bucket="moderation", weight=0, town_id=town.id)
    verdict = dictionary.classifier_for(town.id).classify("废物回收")
    assert verdict.label != "moderation" or "废物" not in verdict.matched


def test_only_sysadmins_edit_the_default_dictionary(bot_town):
    with pytest.raises(Forbidden):
        dictionary.save_keyword(bot_town.actor(bot_town.town_admin), word="井盖", bucket="roads",
                                weight=2)
    row = dictionary.save_keyword(bot_town.actor(bot_town.sysadmin), word="井盖",
                                  bucket="roads", weight=2)
    assert (row.town, row.weight) == (0, 2)


@pytest.mark.parametrize("role", ["grid_worker", "cadre"])
def test_frontline_staff_cannot_edit_any_dictionary(bot_town, role):
    user = bot_town.grid_worker if role == "grid_worker" else bot_town.cadre
    with pytest.raises(Forbidden):
        dictionary.save_keyword(bot_town.actor(user), word="井盖", bucket="roads", weight=2,
                                town_id=bot_town.tree.town_a.id)
    with pytest.raises(Forbidden):
        dictionary.keywords_query(bot_town.actor(user))


def test_a_town_admin_cannot_edit_another_towns_words(bot_town):
    with pytest.raises(Forbidden):
        dictionary.save_keyword(bot_town.actor(bot_town.town_admin), word="井盖", bucket="roads",
                                weight=2, town_id=bot_town.tree.town_b.id)


def test_bad_buckets_and_weights_are_refused(bot_town):
    admin = bot_town.actor(bot_town.sysadmin)
    with pytest.raises(InvalidInput):
        dictionary.save_keyword(admin, word="井盖", bucket="nonsense", weight=1)
    with pytest.raises(InvalidInput):
        dictionary.save_keyword(admin, word="井盖", bucket="roads", weight=99)


def test_deleting_a_word_of_another_town_is_not_found(bot_town):
    row = dictionary.save_keyword(bot_town.actor(bot_town.sysadmin), word="井盖",
                                  bucket="roads", weight=2, town_id=bot_town.tree.town_b.id)
    with pytest.raises(NotFound):
        dictionary.delete_keyword(bot_town.actor(bot_town.town_admin), row.id)
    dictionary.delete_keyword(bot_town.actor(bot_town.sysadmin), row.id)
    assert BotKeyword.get_or_none(BotKeyword.id == row.id) is None
