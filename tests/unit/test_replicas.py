"""Replicas without a network: ``space_urls`` lists, and which replica a job is placed on."""

from __future__ import annotations

from collections import Counter

import pytest

from hfspace_sdk import Settings
from hfspace_sdk.cancel import CancelScope
from hfspace_sdk.config import merge_space_urls
from hfspace_sdk.gradio.space import GradioApp
from hfspace_sdk.http import HttpClient
from hfspace_sdk.replicas import REST_SECONDS, ReplicaSet

SPACE = "owner/name"
URLS = ("http://a.test", "http://b.test", "http://c.test")


def test_a_list_of_urls_makes_replicas_and_one_url_stays_a_string() -> None:
    settings = Settings(space_urls={"Owner/Name": list(URLS), "x/y": ["http://x.test/"]})
    assert settings.space_urls == {SPACE: URLS, "x/y": "http://x.test"}
    assert settings.replica_urls("OWNER/name") == URLS
    assert settings.space_url(SPACE) == URLS[0]
    assert settings.replica_urls("other/space") == ("https://other-space.hf.space",)


def test_pairs_with_a_repeated_id_give_replicas_in_order() -> None:
    pairs = [(SPACE, URLS[0]), ("x/y", "http://x.test"), ("OWNER/NAME", URLS[1])]
    assert merge_space_urls(pairs) == {SPACE: URLS[:2], "x/y": "http://x.test"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def replicas(clock: Clock) -> ReplicaSet:
    http = HttpClient(Settings())  # nothing is sent: no /config is known, so no queue/status
    return ReplicaSet(SPACE, [GradioApp(SPACE, url, http) for url in URLS], clock=clock)


SCOPE = CancelScope(60)


def test_jobs_in_flight_go_round_the_replicas(replicas: ReplicaSet) -> None:
    chosen = [replicas.choose([], SCOPE).url for _ in range(9)]
    assert Counter(chosen) == Counter({url: 3 for url in URLS})
    # ties are taken in turn: three different replicas in every three consecutive choices
    assert all(len(set(chosen[start : start + 3])) == 3 for start in range(0, 9, 3))


def test_the_least_loaded_replica_is_chosen(replicas: ReplicaSet) -> None:
    a, b, c = replicas.replicas
    a.in_flight, b.in_flight, c.in_flight = 2, 0, 1
    a.queue_size = 2  # its queue holds this client's two jobs: a load of 2, not 4
    b.queue_size = 5  # a queue busy with others' jobs counts as load
    assert (a.load, b.load, c.load) == (2, 5, 1)
    assert replicas.choose([], SCOPE) is c
    assert c.in_flight == 2
    replicas.release(c)
    assert c.in_flight == 1


def test_a_resting_replica_is_passed_over_until_its_rest_ends(
    replicas: ReplicaSet, clock: Clock
) -> None:
    a, b, c = replicas.replicas
    replicas.rest(a)
    assert {replicas.choose([], SCOPE).url for _ in range(10)} == {b.url, c.url}
    clock.now += REST_SECONDS
    assert a.url in {replicas.choose([], SCOPE).url for _ in range(10)}


def test_when_every_replica_rests_they_are_used_all_the_same(replicas: ReplicaSet) -> None:
    for replica in replicas.replicas:
        replicas.rest(replica)
    assert len({replicas.choose([], SCOPE).url for _ in range(6)}) == 3


def test_replicas_already_tried_are_excluded(replicas: ReplicaSet) -> None:
    a, b, c = replicas.replicas
    assert {replicas.choose([a, b], SCOPE) for _ in range(4)} == {c}
