"""The errata overlay (conformance/openapi-errata.yaml) is well formed, cites its sources, states the same
facts as the vitest errata list (test/fixtures/openapi-errata.ts), and applies to the published OpenAPI.
Plus the one server fact that the fuzzing cannot pin down (its check tolerates the status involved)."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import apply_errata
from conftest import SUPER_TOKEN

HERE = Path(__file__).resolve().parent.parent
FIXTURE = HERE.parent / "test" / "fixtures" / "openapi-errata.ts"

overlay = apply_errata.load_errata()
ENTRIES = [*overlay["errata"], *overlay["emulator_scope"], *overlay["links"]]


def fixture_ids() -> list[re.Pattern[str]]:
    """The ids of the vitest errata list; templated ids (`flow-${action}-…`) become patterns."""
    text = FIXTURE.read_text(encoding="utf-8")
    literal = [re.escape(i) for i in re.findall(r'\bid: "([^"]+)"', text)]
    templated = [
        ".+".join(re.escape(part) for part in re.split(r"\$\{[^}]*\}", t))
        for t in re.findall(r"\bid: `([^`]+)`", text)
    ]
    return [re.compile(f"^{p}$") for p in [*literal, *templated]]


def test_every_entry_has_a_unique_id_a_summary_and_a_patch():
    ids = [e["id"] for e in ENTRIES]
    assert len(set(ids)) == len(ids)
    for entry in ENTRIES:
        assert entry["file"] in overlay["files"], entry["id"]
        assert entry["summary"].strip(), entry["id"]
        assert entry["patch"], entry["id"]


@pytest.mark.parametrize("entry", [*overlay["errata"], *overlay["emulator_scope"]], ids=lambda e: e["id"])
def test_every_erratum_cites_the_api_docs(entry):
    assert re.match(r"^docs/nexla-api\.md §\d", entry["source"]), entry["source"]


@pytest.mark.parametrize("entry", overlay["errata"], ids=lambda e: e["id"])
def test_every_erratum_that_corrects_the_spec_tests_it_first(entry):
    # Entries that only add (new operations, schemas, responses) have nothing to test.
    changes = [op for op in entry["patch"] if op["op"] in ("replace", "remove", "move")]
    if changes:
        assert any(op["op"] == "test" for op in entry["patch"]), entry["id"]


def test_the_overlay_states_every_fact_of_the_vitest_errata_list():
    patterns = fixture_ids()
    assert patterns, f"no erratum ids found in {FIXTURE}"
    referenced = {e["fixture"] for e in overlay["errata"] if "fixture" in e}
    for pattern in patterns:
        assert any(pattern.match(r) for r in referenced), f"{pattern.pattern} of {FIXTURE.name} has no entry here"
    for name in referenced:
        assert any(p.match(name) for p in patterns), f"fixture {name} is not in {FIXTURE.name}"


def test_the_overlay_applies_to_the_published_openapi(tmp_path):
    assert apply_errata.main(["--out", str(tmp_path)]) == 0
    merged = apply_errata.yaml.safe_load((tmp_path / "nexla.yaml").read_text(encoding="utf-8"))
    put = merged["paths"]["/{resource_type}/{resource_id}/flow/activate"]["put"]
    assert {p.get("name") for p in put["parameters"] if p.get("in") == "query"} == {"all"}
    assert "/token/logout" in merged["paths"]


def test_a_failed_premise_is_refused():
    doc = {"a": {"b": 1}}
    with pytest.raises(apply_errata.ErratumError, match="test failed"):
        apply_errata.apply_patch(doc, [{"op": "test", "path": "/a/b", "value": 2}])
    with pytest.raises(apply_errata.ErratumError, match="already present"):
        apply_errata.apply_patch(doc, [{"op": "add", "path": "/a/b", "value": 2}])


@pytest.mark.parametrize("body", [{"project_id": 10}, {"flow_type": "streaming"}], ids=["project_id", "flow_type"])
def test_change_owner_put_also_takes_project_and_flow_type(emulator_url, body):
    request = urllib.request.Request(
        f"{emulator_url}/flows/300",
        data=json.dumps(body).encode(),
        method="PUT",
        headers={"Authorization": f"Bearer {SUPER_TOKEN}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 200
