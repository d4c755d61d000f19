"""Public 微实事 vote results: published rounds only, standings in rank order with their
votes, no proposer or voter shown, no login."""

from __future__ import annotations

from tests.app.projects.conftest import accepted, make_round, publish, vote
from tests.app.projects.conftest import village as village  # noqa: F401


def voted_round(village):  # noqa: F811
    round_ = make_round(village)
    rail = accepted(village, round_, title="加装楼道扶手", cost=30_000)
    lights = accepted(village, round_, title="更换路灯", cost=50_000, user=village.neighbour)
    vote(village, round_, village.proposer, rail, lights)
    vote(village, round_, village.spouse, rail)
    vote(village, round_, village.neighbour, rail)
    return round_, rail, lights


def test_a_published_round_shows_its_standings_without_login(client, village):  # noqa: F811
    round_, rail, lights = voted_round(village)
    publish(village, round_)
    res = client.get(f"/p/project-rounds/{round_.id}")
    assert res.status_code == 200
    assert res.text.index("加装楼道扶手") < res.text.index("更换路灯")  # rank order
    assert '<meter min="0" max="3" value="3"' in res.text
    assert '<dd data-field="ballots">3 张</dd>' in res.text
    for person in (village.proposer, village.spouse, village.neighbour):
        assert person.display_name not in res.text


def test_the_village_lists_rounds_with_a_published_result(client, village):  # noqa: F811
    round_, *_ = voted_round(village)
    url = f"/p/villages/{village.tree.village_a1.code}/projects"
    assert "2027年东星社区微实事" not in client.get(url).text
    publish(village, round_)
    res = client.get(url)
    assert res.status_code == 200 and "2027年东星社区微实事" in res.text
    assert "共 3 张选票" in res.text


def test_an_unpublished_round_is_the_chinese_404(client, village):  # noqa: F811
    round_, *_ = voted_round(village)
    res = client.get(f"/p/project-rounds/{round_.id}")
    assert res.status_code == 404 and "页面不存在" in res.text
