"""Checks against a real Neo4j 5.26 server started by graph/server.py.

The server of DEFAULT_HOME (<repo>/data/neo4j) is used: started here if it is
not running (the first run also fetches the jars with Maven, about 1-2 min)
and stopped at the end only if this module started it. Nothing is skipped:
if the server cannot start, the tests fail.
"""

from __future__ import annotations

import socket
import stat
import urllib.request
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from policygraph.server import local as server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The `neo4j_server` fixture (one server for the whole session) is in conftest.py.


def test_status_reports_running(neo4j_server):
    info = server.status(neo4j_server.home)
    assert info.running
    assert info.pid == neo4j_server.pid or neo4j_server.pid is None
    assert info.bolt_uri == neo4j_server.bolt_uri
    assert info.bolt_uri.startswith("bolt://127.0.0.1:")


def test_password_file_is_private(neo4j_server):
    mode = stat.S_IMODE(neo4j_server.password_file.stat().st_mode)
    assert mode == 0o600
    assert len(server.read_password(neo4j_server.home)) >= 20


def test_bolt_query_with_stored_password(neo4j_server):
    password = server.read_password(neo4j_server.home)
    with GraphDatabase.driver(neo4j_server.bolt_uri, auth=("neo4j", password)) as driver:
        driver.verify_connectivity()
        with driver.session() as session:
            tx = session.begin_transaction()
            try:
                count = tx.run("CREATE (n:X) RETURN count(n) AS c").single()["c"]
            finally:
                tx.rollback()  # keep the shared database clean
    assert count == 1


def test_wrong_password_is_refused(neo4j_server):
    with GraphDatabase.driver(
        neo4j_server.bolt_uri, auth=("neo4j", "not-the-password")
    ) as driver:
        with pytest.raises(AuthError):
            driver.verify_connectivity()


def test_browser_is_served_over_http(neo4j_server):
    with urllib.request.urlopen(neo4j_server.http_url + "/browser/", timeout=30) as resp:
        assert resp.status == 200
        assert resp.headers.get_content_type() == "text/html"
        body = resp.read().decode("utf-8", "replace")
    assert "<html" in body.lower()
    assert "neo4j" in body.lower()


def test_http_discovery_advertises_our_bolt_port(neo4j_server):
    import json

    with urllib.request.urlopen(neo4j_server.http_url + "/", timeout=30) as resp:
        doc = json.load(resp)
    assert doc["neo4j_version"] == server.NEO4J_VERSION
    assert doc["neo4j_edition"] == "community"
    assert doc["bolt_direct"] == neo4j_server.bolt_uri


def test_busy_port_is_a_plain_server_error(tmp_path, neo4j_server):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(server.ServerError) as err:
            server.start(tmp_path / "home", bolt_port=port, http_port=_free_port())
    message = str(err.value)
    assert f"Port {port}" in message
    assert message.endswith(".") and "\n" not in message
    assert not (tmp_path / "home" / "lib").exists()  # failed before fetching


def test_second_server_on_other_ports(tmp_path, neo4j_server):
    """Ports are configurable: a second home reusing the jars, other ports."""
    home = tmp_path / "alt"
    home.mkdir()
    (home / "lib").symlink_to(neo4j_server.home / "lib")  # no second fetch
    bolt_port = _free_port()
    http_port = _free_port()
    while http_port == bolt_port:
        http_port = _free_port()
    info = server.start(home, bolt_port=bolt_port, http_port=http_port, timeout=120)
    try:
        assert info.running
        assert info.bolt_uri == f"bolt://127.0.0.1:{bolt_port}"
        password = server.read_password(home)
        assert password != server.read_password(neo4j_server.home)
        with GraphDatabase.driver(info.bolt_uri, auth=("neo4j", password)) as driver:
            records, _, _ = driver.execute_query("RETURN 42 AS x")
        assert records[0]["x"] == 42
        with urllib.request.urlopen(info.http_url + "/browser/", timeout=30) as resp:
            assert resp.status == 200
    finally:
        stopped = server.stop(home)
    assert not stopped.running
    assert not server.status(home).running


def _home_sharing_jars(tmp_path: Path, main_home: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    (home / "lib").symlink_to(main_home / "lib")
    return home


def test_missing_java_is_a_plain_server_error(tmp_path, neo4j_server, monkeypatch):
    monkeypatch.setattr(server, "_java_candidates", lambda: [])
    with pytest.raises(server.ServerError) as err:
        server.start(_home_sharing_jars(tmp_path, neo4j_server.home), bolt_port=_free_port())
    assert str(err.value) == "Java 17 was not found: install OpenJDK 17 and retry."


def test_bad_setting_is_reported_with_the_log(tmp_path, neo4j_server, monkeypatch):
    """Strict config validation makes Neo4j exit; start() says so plainly."""
    home = _home_sharing_jars(tmp_path, neo4j_server.home)
    server.install(home)  # neo4j-admin validates the conf too: install first
    bad = tmp_path / "bad.template"
    bad.write_text(server.CONF_TEMPLATE.read_text() + "\ndbms.no_such_setting=1\n")
    monkeypatch.setattr(server, "CONF_TEMPLATE", bad)
    with pytest.raises(server.ServerError) as err:
        server.start(home, bolt_port=_free_port(), http_port=_free_port())
    message = str(err.value)
    assert message.startswith("Neo4j stopped during start-up")
    assert str(home / "logs" / "console.log") in message
    assert "dbms.no_such_setting" in (home / "logs" / "console.log").read_text()
    assert not server.status(home).running


def test_start_timeout_kills_the_server(tmp_path, neo4j_server):
    home = _home_sharing_jars(tmp_path, neo4j_server.home)
    with pytest.raises(server.ServerError) as err:
        server.start(home, bolt_port=_free_port(), http_port=_free_port(), timeout=1)
    assert str(err.value).startswith("Neo4j did not start within 1 s; see ")
    assert not server.status(home).running
