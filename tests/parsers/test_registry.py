"""The site registry: hosts fold like URLs do, and two claims on one host fail loudly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from parsers import GenericExtractor, get_parser, register
from parsers import registry as registry_module
from parsers.exceptions import DuplicateParserError
from parsers.registry import registered_sites

HOST = "madeup-defence.example"


@pytest.fixture(autouse=True)
def restore_registry() -> Iterator[None]:
    """Leave the registry as it was, so made-up hosts never leak into other tests."""
    registered_sites()  # load the real site modules before taking the snapshot
    saved = dict(registry_module._REGISTRY)
    yield
    registry_module._REGISTRY.clear()
    registry_module._REGISTRY.update(saved)


def _register_test_parser(*hosts: str) -> type[GenericExtractor]:
    @register(*hosts)
    class MadeUpParser(GenericExtractor):
        name = "madeup"
        version = "1"

    return MadeUpParser


def test_unregistered_host_gets_the_generic_parser() -> None:
    parser = get_parser(f"https://{HOST}/news/x")
    assert type(parser) is GenericExtractor


def test_registered_host_gets_its_own_parser() -> None:
    cls = _register_test_parser(HOST)
    parser = get_parser(f"https://{HOST}/news/x")
    assert type(parser) is cls
    assert parser.name == "madeup"


def test_register_returns_the_class_unchanged() -> None:
    class Plain(GenericExtractor):
        pass

    assert register(HOST)(Plain) is Plain


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.{HOST}/news/x",
        f"https://m.{HOST}/news/x",
        f"https://amp.{HOST}/news/x/amp/",
        f"https://mobile.{HOST}/news/x",
        f"https://news.{HOST}/x",
        f"https://a.b.{HOST}/x",
        f"HTTP://WWW.{HOST.upper()}:8080/x",
    ],
)
def test_prefixes_and_subdomains_fold_to_the_registered_host(url: str) -> None:
    cls = _register_test_parser(HOST)
    assert type(get_parser(url)) is cls


def test_a_host_claimed_with_www_is_found_without_it() -> None:
    cls = _register_test_parser(f"www.{HOST}")
    assert type(get_parser(f"https://{HOST}/x")) is cls


@pytest.mark.parametrize(
    "url",
    [
        f"https://not{HOST}/x",
        f"https://{HOST}.evil.net/x",
        "https://example/x",
        "not a url",
        "",
    ],
)
def test_look_alike_hosts_get_the_generic_parser(url: str) -> None:
    _register_test_parser(HOST)
    assert type(get_parser(url)) is GenericExtractor


def test_a_subdomain_with_its_own_parser_wins_over_the_parent() -> None:
    parent = _register_test_parser(HOST)

    @register(f"blogs.{HOST}")
    class BlogsParser(GenericExtractor):
        name = "madeup-blogs"

    assert type(get_parser(f"https://blogs.{HOST}/x")) is BlogsParser
    assert type(get_parser(f"https://news.{HOST}/x")) is parent


def test_one_class_may_claim_several_hosts() -> None:
    cls = _register_test_parser(HOST, "madeup-defence-two.example")
    assert type(get_parser("https://madeup-defence-two.example/x")) is cls
    assert registered_sites()[HOST] is cls


def test_the_same_class_registered_twice_is_not_a_duplicate() -> None:
    cls = _register_test_parser(HOST)
    register(f"www.{HOST}")(cls)
    assert registered_sites()[HOST] is cls


def test_a_second_class_claiming_the_same_host_raises() -> None:
    first = _register_test_parser(HOST)
    with pytest.raises(DuplicateParserError, match=HOST):
        _register_test_parser(HOST)
    assert registered_sites()[HOST] is first


def test_a_second_class_claiming_the_host_with_a_prefix_raises() -> None:
    _register_test_parser(HOST)
    with pytest.raises(DuplicateParserError):
        _register_test_parser(f"m.{HOST}")


def test_registered_sites_is_a_sorted_copy() -> None:
    _register_test_parser("zz-madeup.example", "aa-madeup.example")
    sites = registered_sites()
    assert list(sites) == sorted(sites)
    sites.clear()
    assert "aa-madeup.example" in registered_sites()


def test_get_parser_returns_a_fresh_instance_each_time() -> None:
    _register_test_parser(HOST)
    assert get_parser(f"https://{HOST}/a") is not get_parser(f"https://{HOST}/a")
