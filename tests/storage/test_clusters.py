"""Story clusters on SQLite and PostgreSQL: republished wire copy groups, other stories do not,
a bridging story merges clusters, edits regroup, and running again changes nothing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from parsers.record import ArticleRecord, ParserInfo
from storage.clusters import ClusterMember, Clusters
from storage.clusters_minhash import SignedVersions, lsh_shape, sketch_of
from storage.db import Database
from storage.models import Article
from storage.store import Store
from tests.storage.tables import Rows

DAY = datetime(2025, 12, 1, 8, 0, tzinfo=UTC)

WIRE = (
    "The Defence Acquisition Council on Thursday cleared proposals worth 67,000 crore rupees, "
    "including long-range drones for the Navy and upgraded radars for the Air Force.",
    "Officials said the package gives priority to equipment designed and built in India, with "
    "most contracts expected to go to domestic shipyards and electronics firms.",
    "The Navy will receive thirty-one medium-altitude long-endurance drones to watch the sea "
    "lanes of the Indian Ocean, where Chinese research vessels have become frequent visitors.",
    "The Air Force gets a mid-life upgrade for its air defence radars and a new batch of "
    "precision-guided bombs for the Sukhoi fleet.",
    "The Army's share covers night sights for infantry rifles and a tracked vehicle able to "
    "recover damaged tanks under fire in the western desert.",
    "A senior official said delivery of the first drones could begin within two years if the "
    "contract is signed before the end of the financial year.",
    "The council also eased the rules for emergency purchases, letting the services buy spares "
    "directly from manufacturers without a fresh tender.",
    "Industry groups welcomed the decision but warned that payment delays continue to hurt "
    "small suppliers who build parts for larger contractors.",
)
UNRELATED = (
    "Heavy rain flooded the approach roads to the harbour on Tuesday, and the port trust "
    "suspended cargo handling for the second time this week.",
    "Fishermen were told to stay ashore until the weekend while engineers pumped water out of "
    "the container yard and checked the cranes for electrical damage.",
    "The weather office expects the low-pressure area to move north along the coast, bringing "
    "strong winds to the districts further up the shore by Friday evening.",
)
CORE = (
    "The shipyard floated out the third survey vessel of its class on Wednesday, eight months "
    "after the second ship joined the fleet at Visakhapatnam.",
    "The vessel will chart harbours and coastal waters, collect oceanographic data and can be "
    "turned into a hospital ship in an emergency.",
    "It displaces about 3,400 tonnes, carries a crew of 231 and can operate a helicopter from its "
    "deck for search and rescue missions far from shore.",
    "More than eighty per cent of the vessel's parts were made in India, the yard said, naming "
    "suppliers of its engines, sonar and navigation equipment.",
    "Two more ships of the class are on the slipway and should follow within the next year.",
)
EXTRA_ONE = (
    "The launch was attended by the chief hydrographer, who said the new ships would replace "
    "older survey vessels that have served for more than three decades.",
    "He said modern echo sounders on board can map the seabed to a depth of eleven kilometres, "
    "far beyond what the old ships could reach.",
    "Their charts are shared with neighbouring countries under cooperation agreements signed over "
    "the past decade with island states of the region.",
    "The hydrographer added that survey work in the Andaman Sea had doubled since 2020, "
    "driven by new ports and undersea cables planned for the islands.",
    "Training for the crews begins next month at the hydrographic school in Goa, where a "
    "simulator built by a local start-up will be used for the first time.",
)
EXTRA_TWO = (
    "Analysts note that the yard has struggled with delays on other programmes, including a "
    "fleet tanker whose delivery has slipped by almost two years.",
    "The company blamed late supplies of steel and a shortage of skilled welders, and said new "
    "contracts would be met on time after its dry dock is expanded.",
    "Its order book now includes patrol vessels for the Coast Guard and training ships for cadets "
    "which will be built alongside the survey ships.",
    "Its shares rose three per cent on the news before falling back in afternoon trading, as "
    "investors waited for quarterly results due next week.",
    "A workers' union at the yard has threatened a strike over overtime pay, which managers say "
    "would not affect the survey ship programme.",
)
# The wire story as three sites ran it: one rewrote the opening and added a sign-off, one
# added a dateline and dropped a paragraph.
REWRITTEN_OPENING = (
    "New Delhi approved a fresh set of weapons purchases on Thursday worth 67,000 crore rupees, "
    "including long-range drones for the Navy and upgraded radars for the Air Force."
)
WIRE_AS_RUN = {
    "newsdesk.example": WIRE,
    "defencetoday.example": (REWRITTEN_OPENING, *WIRE[1:], "Follow us for more defence news."),
    "southblock.example": ("NEW DELHI:", *WIRE[:5], *WIRE[6:]),
}


def _story(site: str, slug: str, body: tuple[str, ...], headline: str = "") -> ArticleRecord:
    url = f"https://{site}/{slug}/"
    return ArticleRecord(
        url=url,
        canonical_url=url,
        site=site,
        page_type="article",
        headline=headline or slug.replace("-", " ").title(),
        body=body,
        parser=ParserInfo("generic", "1"),
    )


def _save(store: Store, record: ArticleRecord, day: int) -> int:
    return store.save(record, seen_at=DAY + timedelta(days=day)).article_id


def _cluster_ids(database: Database) -> dict[int, int | None]:
    with database.session() as session:
        return dict(session.execute(select(Article.id, Article.cluster_id)).all())


def _ids(members: list[ClusterMember]) -> list[int]:
    return [member.article_id for member in members]


def test_the_same_wire_story_on_three_sites_is_one_cluster(
    store: Store, database: Database
) -> None:
    # Seen in another order than saved: members come first seen first, the id is the smallest.
    wire_ids = [
        _save(store, _story(site, "drones-cleared", body), day)
        for (site, body), day in zip(WIRE_AS_RUN.items(), (3, 1, 2), strict=True)
    ]
    harbour = _save(store, _story("newsdesk.example", "port-flooded", UNRELATED), 0)
    clusters = Clusters(database)

    assert clusters.update() == 4

    first, second, third = wire_ids
    assert clusters.members(first) == [
        ClusterMember(
            second,
            "https://defencetoday.example/drones-cleared/",
            "defencetoday.example",
            "Drones Cleared",
            DAY + timedelta(days=1),
        ),
        ClusterMember(
            third,
            "https://southblock.example/drones-cleared/",
            "southblock.example",
            "Drones Cleared",
            DAY + timedelta(days=2),
        ),
        ClusterMember(
            first,
            "https://newsdesk.example/drones-cleared/",
            "newsdesk.example",
            "Drones Cleared",
            DAY + timedelta(days=3),
        ),
    ]
    assert _ids(clusters.members(third)) == [second, third, first]
    assert _ids(clusters.members(harbour)) == [harbour]
    assert _cluster_ids(database) == {first: first, second: first, third: first, harbour: harbour}


def test_a_story_bridging_two_clusters_merges_them(store: Store, database: Database) -> None:
    hydrographer = _save(store, _story("a.example", "survey-ship", (*CORE, *EXTRA_ONE)), 0)
    yard = _save(store, _story("b.example", "survey-ship", (*CORE, *EXTRA_TWO)), 0)
    clusters = Clusters(database)
    clusters.update()
    assert _cluster_ids(database) == {hydrographer: hydrographer, yard: yard}

    full = _save(store, _story("c.example", "survey-ship", (*CORE, *EXTRA_ONE, *EXTRA_TWO)), 1)

    assert clusters.update() == 1
    assert _cluster_ids(database) == {
        hydrographer: hydrographer,
        yard: hydrographer,
        full: hydrographer,
    }
    assert _ids(clusters.members(yard)) == [hydrographer, yard, full]


def test_an_edit_moves_an_article_out_of_its_cluster_and_back(
    store: Store, database: Database
) -> None:
    records = [_story(site, "drones-cleared", body) for site, body in WIRE_AS_RUN.items()]
    first, second, third = (_save(store, record, 0) for record in records)
    clusters = Clusters(database)
    clusters.update()

    store.save(_story("newsdesk.example", "drones-cleared", UNRELATED))
    assert clusters.update() == 1
    assert _cluster_ids(database) == {first: first, second: second, third: second}

    store.save(records[0])
    assert clusters.update() == 1
    assert _cluster_ids(database) == {first: first, second: first, third: first}


def test_update_twice_changes_nothing(store: Store, database: Database, rows: Rows) -> None:
    for site, body in WIRE_AS_RUN.items():
        _save(store, _story(site, "drones-cleared", body), 0)
    _save(store, _story("newsdesk.example", "port-flooded", UNRELATED), 0)
    clusters = Clusters(database)
    clusters.update()
    before = [rows(table) for table in ("articles", "cluster_signatures", "cluster_bands")]

    assert clusters.update() == 0
    assert [rows(table) for table in ("articles", "cluster_signatures", "cluster_bands")] == before
    assert len(before[2]) == 4 * lsh_shape()[0]  # every article has a key per band


def test_batches_of_any_size_end_in_the_same_clusters(store: Store, database: Database) -> None:
    for site, body in WIRE_AS_RUN.items():
        _save(store, _story(site, "drones-cleared", body), 0)
    _save(store, _story("a.example", "survey-ship", (*CORE, *EXTRA_ONE)), 0)
    _save(store, _story("newsdesk.example", "port-flooded", UNRELATED), 0)
    _save(store, _story("b.example", "survey-ship", (*CORE, *EXTRA_TWO)), 0)
    _save(store, _story("c.example", "survey-ship", (*CORE, *EXTRA_ONE, *EXTRA_TWO)), 0)

    assert Clusters(database, batch_size=2).update() == 7
    one_by_two = _cluster_ids(database)
    with database.transaction() as session:
        session.execute(text("DELETE FROM cluster_bands"))
        session.execute(text("DELETE FROM cluster_signatures"))
        session.execute(text("UPDATE articles SET cluster_id = NULL"))
    assert Clusters(database).update() == 7

    assert _cluster_ids(database) == one_by_two == {1: 1, 2: 1, 3: 1, 4: 4, 5: 5, 6: 4, 7: 4}


def test_signatures_of_another_hashing_method_are_remade(store: Store, database: Database) -> None:
    for site, body in WIRE_AS_RUN.items():
        _save(store, _story(site, "drones-cleared", body), 0)
    clusters = Clusters(database)
    clusters.update()
    with database.transaction() as session:
        session.execute(text("UPDATE cluster_signatures SET method = 'minhash/older'"))

    assert clusters.update() == 3
    assert _cluster_ids(database) == {1: 1, 2: 1, 3: 1}


def test_short_bodies_are_left_alone(store: Store, database: Database, rows: Rows) -> None:
    brief = ("Navy chief visits Kochi.", "More to follow.")
    ids = [_save(store, _story(site, "brief", brief), 0) for site in ("a.example", "b.example")]

    assert Clusters(database).update() == 2
    assert _cluster_ids(database) == {ids[0]: ids[0], ids[1]: ids[1]}
    assert [row["signature"] for row in rows("cluster_signatures")] == [None, None]
    assert rows("cluster_bands") == []


def test_members_of_unknown_or_unclustered_articles(store: Store, database: Database) -> None:
    article = _save(store, _story("a.example", "survey-ship", CORE), 0)
    clusters = Clusters(database)

    assert _ids(clusters.members(article)) == [article]
    assert clusters.members(article + 1) == []


def test_runs_at_the_same_time_share_the_work(store: Store, database: Database) -> None:
    for site, body in WIRE_AS_RUN.items():
        _save(store, _story(site, "drones-cleared", body), 0)
    _save(store, _story("newsdesk.example", "port-flooded", UNRELATED), 0)
    barrier, done, errors = threading.Barrier(2), [], []

    def run() -> None:
        barrier.wait()
        try:
            done.append(Clusters(database, batch_size=2).update())
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(done) == 4
    assert _cluster_ids(database) == {1: 1, 2: 1, 3: 1, 4: 4}


def test_sketches_handed_over_are_used_for_their_version_only(
    store: Store, database: Database
) -> None:
    wire = _save(store, _story("newsdesk.example", "drones-cleared", WIRE), 0)
    harbour = _save(store, _story("newsdesk.example", "port-flooded", UNRELATED), 0)
    survey = _save(store, _story("a.example", "survey-ship", CORE), 0)
    signed = SignedVersions()
    # As if the parses had sketched the wire story for the harbour story's current version
    # (1) and for a version of the survey story that is not its current one (2).
    signed.add(harbour, 1, sketch_of("\n\n".join(WIRE)))
    signed.add(survey, 2, sketch_of("\n\n".join(WIRE)))

    assert Clusters(database).update(signed) == 3

    assert _cluster_ids(database) == {wire: wire, harbour: wire, survey: survey}


def test_only_the_articles_asked_for_are_clustered(store: Store, database: Database) -> None:
    first, second, third = (
        _save(store, _story(site, "drones-cleared", body), 0) for site, body in WIRE_AS_RUN.items()
    )
    clusters = Clusters(database)

    assert clusters.update(only=[first, third]) == 2
    assert _cluster_ids(database) == {first: first, second: None, third: first}

    assert clusters.update() == 1
    assert _cluster_ids(database) == {first: first, second: first, third: first}
