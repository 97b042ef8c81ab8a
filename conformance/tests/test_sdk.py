"""Nexla's official Python SDK (nexla-sdk 1.0.8, pinned) against the emulator.

Every call the pulumi-nexla provider relies on must succeed and parse into the SDK's models. Where the SDK
calls a path whose real server behaviour differs from what the SDK expects, the emulator follows Nexla's
server (docs/nexla-api.md §2.1) and the test records what the SDK then does (test names say "records").

Sample org (README.md): flow 100 orders 1000→2000→3000 ACTIVE; flow 200 clickstream, source 1100 (node 200)
→ set 2100 (201) → set 2101 (202) → set 2102 (203) → set 2103 (204) → sink 3101 (205), set 2100 → sink
3100 (206) and → set 2104 (207) → sink 3102 (208), ACTIVE; flow 300 billing-export 1200→2200→3200 PAUSED
(nodes 300, 301, 302); flow 400 partner-feed, source 1300 RATE_LIMITED; flow 500 staging INIT (org 1).
From 600 on, one example of each refusal Nexla's server makes (docs/nexla-api.md §2.4, §10): flow 600
shared-catalog (PAUSED), whose nexset 2500 Other Co's flow 610 (org 3, ACTIVE) derives from; flow 650
replicated, a sink feeding a dependent source (PAUSED); flow 700 docs-ingest (PAUSED), linked to the RAG
flow 710 (ACTIVE); flows 800 (ACTIVE) and 810 (PAUSED) of Capped Co (org 4, at its limit of one active
source); flows 900 (ACTIVE) and 910 (PAUSED) of Migrating Co (org 5, cluster MIGRATING).
"""

from __future__ import annotations

from typing import Any, Callable

import pydantic
import pytest
from nexla_sdk import exceptions as sdk_errors
from nexla_sdk.models.flows.responses import FlowResponse
from nexla_sdk.models.nexsets.responses import Nexset

from conftest import ANALYST_TOKEN, OUTSIDER_TOKEN, SUPER_KEY, SUPER_TOKEN
from gaps import Gaps, flow_ids

CLICKSTREAM = {
    "data_sources": {1100},
    "data_sets": {2100, 2101, 2102, 2103, 2104},
    "data_sinks": {3100, 3101, 3102},
}
BELOW_NODE_203 = {"data_sets": {2102, 2103}, "data_sinks": {3101}}

# Every flow of the sample org, as GET /flows lists them (origin ids, sorted by id descending: SRV
# render_builder.rb#build_flows), with their statuses; and those of Acme (org 2), all the analyst may read:
# not 500 (org 1), 610 (org 3: derived from Acme's shared nexset, but owned by Other Co), 800/810 (org 4) or
# 900/910 (org 5). README.md, "Sample org".
ALL_FLOWS = {
    910: "PAUSED",
    900: "ACTIVE",
    810: "PAUSED",
    800: "ACTIVE",
    710: "ACTIVE",
    700: "PAUSED",
    650: "PAUSED",
    610: "ACTIVE",
    600: "PAUSED",
    500: "INIT",
    400: "RATE_LIMITED",
    300: "PAUSED",
    200: "ACTIVE",
    100: "ACTIVE",
}
ACME_FLOWS = [710, 700, 650, 600, 400, 300, 200, 100]
# Every data source; flow 610 starts at a data set, and 1551 is the dependent source below sink 3550 of flow 650.
ALL_SOURCES = {1000, 1100, 1200, 1300, 1400, 1500, 1550, 1551, 1600, 1610, 1700, 1710, 1800, 1810}


def statuses_of(emulator, ids_by_collection: dict[str, set[int]]) -> dict[str, set[str]]:
    """The set of statuses each collection's given resources have now."""
    return {
        collection: {emulator.statuses(collection)[i] for i in ids} for collection, ids in ids_by_collection.items()
    }


def minus(whole: dict[str, set[int]], part: dict[str, set[int]]) -> dict[str, set[int]]:
    return {k: v - part.get(k, set()) for k, v in whole.items() if v - part.get(k, set())}


def refusal(error: type[sdk_errors.NexlaError], call: Callable[[], Any]) -> tuple[int, Any]:
    """Runs an SDK call that Nexla refuses: the SDK must raise `error`; its status code and parsed body."""
    with pytest.raises(error) as raised:
        call()
    return raised.value.status_code, raised.value.response


# ------------------------------------------------------------------------------------------ authentication


def test_service_key_is_exchanged_at_post_token(emulator, sdk):
    client = sdk(service_key=SUPER_KEY)
    [listed] = client.flows.list(flows_only=True, access_role="admin")
    assert isinstance(listed, FlowResponse)
    assert flow_ids(listed) == list(ALL_FLOWS)
    assert emulator.calls() == [
        ("POST", "/token", {}, 200),
        ("GET", "/flows", {"flows_only": "1", "access_role": "admin"}, 200),
    ]
    assert {e["userId"] for e in emulator.requests()} == {1}


def test_access_token_is_used_as_is(emulator, sdk):
    client = sdk(access_token=ANALYST_TOKEN)
    flow = client.flows.get(100, flows_only=True)
    assert flow_ids(flow) == [100]
    assert emulator.calls() == [("GET", "/flows/100", {"flows_only": "1"}, 200)]
    assert emulator.requests()[0]["userId"] == 2


def test_records_that_service_key_mode_gets_a_new_token_for_every_call(emulator, sdk):
    # PY auth.py re-obtains a token when `expiry - now < token_refresh_margin`; the margin defaults to 3600 s
    # and Nexla's tokens (and the emulator's) last 3600 s, so every call starts with POST /token (docs/nexla-api.md §1).
    client = sdk(service_key=SUPER_KEY)
    for flow_id in (100, 200, 300):
        client.flows.get(flow_id, flows_only=True)
    assert [c[1] for c in emulator.calls()] == ["/token", "/flows/100", "/token", "/flows/200", "/token", "/flows/300"]


def test_service_key_mode_retries_once_after_a_401(emulator, sdk):
    emulator.inject_fault(method="GET", path="/flows/100", status=401, times=1)
    flow = sdk(service_key=SUPER_KEY).flows.get(100, flows_only=True)
    assert flow_ids(flow) == [100]
    assert [(c[0], c[1], c[3]) for c in emulator.calls()] == [
        ("POST", "/token", 200),
        ("GET", "/flows/100", 401),
        ("POST", "/token", 200),
        ("GET", "/flows/100", 200),
    ]


def test_unknown_service_key_is_an_authentication_error(emulator, sdk):
    with pytest.raises(sdk_errors.AuthenticationError):
        sdk(service_key="not-a-service-key").flows.list(flows_only=True)
    assert emulator.calls() == [("POST", "/token", {}, 401)]


def test_unknown_access_token_is_an_authentication_error(emulator, sdk):
    with pytest.raises(sdk_errors.AuthenticationError):
        sdk(access_token="not-a-token").flows.get(100)
    assert emulator.calls() == [("GET", "/flows/100", {}, 401)]


def test_logout_invalidates_the_token(emulator, sdk):
    sdk(access_token=ANALYST_TOKEN).logout()
    with pytest.raises(sdk_errors.AuthenticationError):
        sdk(access_token=ANALYST_TOKEN).flows.get(100, flows_only=True)
    assert [(c[0], c[1], c[3]) for c in emulator.calls()] == [
        ("POST", "/token/logout", 200),
        ("GET", "/flows/100", 401),
    ]


# ------------------------------------------------------------------------------------------ reading flows


def test_list_flows(emulator, sdk):
    gaps = Gaps()
    listed = gaps.parse(lambda: sdk(access_token=SUPER_TOKEN).flows.list(access_role="admin"))
    assert emulator.calls() == [("GET", "/flows", {"access_role": "admin"}, 200)]
    if listed is not None:
        [response] = listed
        assert flow_ids(response) == list(ALL_FLOWS)
        assert {s.id for s in response.data_sources} == ALL_SOURCES
    gaps.check()


def test_list_flows_flows_only(emulator, sdk):
    [response] = sdk(access_token=SUPER_TOKEN).flows.list(flows_only=True, access_role="admin")
    assert flow_ids(response) == list(ALL_FLOWS)
    assert response.data_sources is None  # resource lists are left out with flows_only=1
    statuses = {node.id: node.status for node in response.flows}
    assert statuses == ALL_FLOWS


def test_list_flows_a_page_at_a_time(emulator, sdk):
    [response] = sdk(access_token=SUPER_TOKEN).flows.list(flows_only=True, page=2, per_page=2)
    assert flow_ids(response) == [810, 800]  # the third and fourth of ALL_FLOWS
    assert emulator.calls() == [("GET", "/flows", {"flows_only": "1", "page": "2", "per_page": "2"}, 200)]


def test_list_flows_shows_only_what_the_user_may_read(emulator, sdk):
    # access_role=operator: every flow of the org the analyst is a member of.
    [response] = sdk(access_token=ANALYST_TOKEN).flows.list(flows_only=True, access_role="operator")
    assert flow_ids(response) == ACME_FLOWS
    # Without access_role, Nexla lists the flows the user owns (OA access_roles): not flow 300, Otto's.
    [owned] = sdk(access_token=ANALYST_TOKEN).flows.list(flows_only=True)
    assert flow_ids(owned) == [710, 700, 650, 600, 400, 200, 100]


def test_get_flow_by_id(emulator, sdk):
    gaps = Gaps()
    flow = gaps.parse(lambda: sdk(access_token=SUPER_TOKEN).flows.get(100))
    assert emulator.calls() == [("GET", "/flows/100", {}, 200)]
    if flow is not None:
        assert flow_ids(flow) == [100]
        assert [s.id for s in flow.data_sources] == [1000]
        assert [s.source_type is not None for s in flow.data_sources] == [True]
        assert [d.id for d in flow.data_sinks] == [3000]
        assert flow.users == [{"id": 2, "email": "analyst@acme.example", "name": "Ada Analyst"}]
    gaps.check()


def test_get_flow_by_a_node_id_answers_the_whole_flow(emulator, sdk):
    flow = sdk(access_token=SUPER_TOKEN).flows.get(203, flows_only=True)
    [origin] = flow.flows
    assert (origin.id, origin.origin_node_id, origin.parent_node_id, origin.data_source_id) == (200, 200, None, 1100)
    assert [child.id for child in origin.children] == [201]
    assert [grandchild.id for grandchild in origin.children[0].children] == [202, 206, 207]


@pytest.mark.parametrize(
    ("resource_type", "resource_id"),
    [("data_sources", 1100), ("data_sets", 2101), ("data_sinks", 3102)],
)
def test_get_flow_by_resource(emulator, sdk, resource_type, resource_id):
    flow = sdk(access_token=SUPER_TOKEN).flows.get_by_resource(resource_type, resource_id, flows_only=True)
    assert flow_ids(flow) == [200]
    assert emulator.calls() == [("GET", f"/{resource_type}/{resource_id}/flow", {"flows_only": "1"}, 200)]


def test_get_flow_by_resource_with_its_resources(emulator, sdk):
    gaps = Gaps()
    flow = gaps.parse(lambda: sdk(access_token=SUPER_TOKEN).flows.get_by_resource("data_sets", 2101))
    if flow is not None:
        assert flow_ids(flow) == [200]
        assert {s.id for s in flow.data_sets} == CLICKSTREAM["data_sets"]
    gaps.check()


def test_unknown_flow_is_not_found(emulator, sdk):
    with pytest.raises(sdk_errors.NotFoundError):
        sdk(access_token=SUPER_TOKEN).flows.get(99999)


def test_flow_of_another_org_is_forbidden(emulator, sdk):
    with pytest.raises(sdk_errors.AuthorizationError):
        sdk(access_token=OUTSIDER_TOKEN).flows.get(100)
    assert emulator.calls() == [("GET", "/flows/100", {}, 403)]


# ------------------------------------------------------------------------------------------ activate and pause


def test_pause_by_flow_id_pauses_the_node_and_what_is_below_it(emulator, sdk):
    gaps = Gaps()
    flow = gaps.parse(lambda: sdk(access_token=SUPER_TOKEN).flows.pause(203))
    assert emulator.calls() == [("PUT", "/flows/203/pause", {}, 200)]
    assert statuses_of(emulator, BELOW_NODE_203) == {"data_sets": {"PAUSED"}, "data_sinks": {"PAUSED"}}
    assert set().union(*statuses_of(emulator, minus(CLICKSTREAM, BELOW_NODE_203)).values()) == {"ACTIVE"}
    if flow is not None:
        assert flow_ids(flow) == [200]  # the whole flow, from its origin
    gaps.check()


@pytest.mark.parametrize("flag", ["all", "full_tree"])
def test_pause_by_flow_id_with_whole_flow_scope(emulator, sdk, flag):
    gaps = Gaps()
    flow = gaps.parse(lambda: sdk(access_token=SUPER_TOKEN).flows.pause(203, **{flag: True}))
    assert emulator.calls() == [("PUT", "/flows/203/pause", {flag: "1"}, 200)]
    assert set().union(*statuses_of(emulator, CLICKSTREAM).values()) == {"PAUSED"}
    if flow is not None:
        assert flow.flows[0].status == "PAUSED"
    gaps.check()


def test_activate_by_flow_id_activates_the_node_and_what_is_below_it(emulator, sdk):
    emulator.set_status("data_sources", 1100, "PAUSED", cascade=True)
    gaps = Gaps()
    gaps.parse(lambda: sdk(access_token=SUPER_TOKEN).flows.activate(207))
    assert emulator.calls() == [("PUT", "/flows/207/activate", {}, 200)]
    below_207 = {"data_sets": {2104}, "data_sinks": {3102}}
    assert statuses_of(emulator, below_207) == {"data_sets": {"ACTIVE"}, "data_sinks": {"ACTIVE"}}
    assert set().union(*statuses_of(emulator, minus(CLICKSTREAM, below_207)).values()) == {"PAUSED"}
    gaps.check()


@pytest.mark.parametrize("flag", ["all", "full_tree"])
def test_activate_by_flow_id_with_whole_flow_scope(emulator, sdk, flag):
    gaps = Gaps()
    flow = gaps.parse(lambda: sdk(access_token=SUPER_TOKEN).flows.activate(301, **{flag: True}))
    assert emulator.calls() == [("PUT", "/flows/301/activate", {flag: "1"}, 200)]
    billing = {"data_sources": {1200}, "data_sets": {2200}, "data_sinks": {3200}}
    assert set().union(*statuses_of(emulator, billing).values()) == {"ACTIVE"}
    if flow is not None:
        assert flow_ids(flow) == [300]
    gaps.check()


def test_activating_a_rate_limited_flow_is_a_validation_error(emulator, sdk):
    with pytest.raises(sdk_errors.ValidationError) as raised:
        sdk(access_token=SUPER_TOKEN).flows.activate(400)
    assert raised.value.status_code == 400
    assert raised.value.response == {"message": "Flow is rate limited"}


@pytest.mark.parametrize(
    ("action", "flow_id", "source_id", "status"),
    [("activate", 810, 1710, "PAUSED"), ("pause", 800, 1700, "ACTIVE")],
)
def test_records_that_an_org_at_its_active_source_limit_is_a_validation_error(
    emulator, sdk, action, flow_id, source_id, status
):
    # Capped Co's tier allows one active source, and flow 800's is it. flows#activate asks the tier before it
    # branches, so the org at its limit gets 400 for any activate or pause of a flow that starts at a data
    # source, a pause of the active flow 800 included (docs/nexla-api.md §2.4, §10.4); PY maps 400 to ValidationError.
    call = getattr(sdk(access_token=SUPER_TOKEN).flows, action)
    assert refusal(sdk_errors.ValidationError, lambda: call(flow_id)) == (
        400,
        {"message": "Active data source limit would be exceeded."},
    )
    assert emulator.calls() == [("PUT", f"/flows/{flow_id}/{action}", {}, 400)]
    assert emulator.statuses("data_sources")[source_id] == status


@pytest.mark.parametrize(
    ("action", "flow_id", "source_id", "status", "message"),
    [
        ("pause", 900, 1800, "ACTIVE", "Data source cannot be paused while org's cluster is migrating"),
        ("activate", 910, 1810, "PAUSED", "Data source cannot be activated while org's cluster is migrating"),
    ],
)
def test_records_that_a_migrating_cluster_is_a_server_error(
    emulator, sdk, action, flow_id, source_id, status, message
):
    # Migrating Co's cluster is MIGRATING: DataSource#activate!/#pause! refuse with 405, Nexla's state-conflict
    # code, and flows#activate passes the error on as it is (docs/nexla-api.md §2.4, §10.5). The origin source is
    # the first resource of the traversal, so nothing changes (§10.6). PY maps 405 to ServerError.
    call = getattr(sdk(access_token=SUPER_TOKEN).flows, action)
    assert refusal(sdk_errors.ServerError, lambda: call(flow_id, all=True)) == (405, {"message": message})
    assert emulator.calls() == [("PUT", f"/flows/{flow_id}/{action}", {"all": "1"}, 405)]
    assert emulator.statuses("data_sources")[source_id] == status


@pytest.mark.parametrize(
    ("method", "collection", "resource_id", "start", "target", "siblings"),
    [
        ("activate_by_resource", "data_sets", 2200, "PAUSED", "ACTIVE", {"data_sources": {1200}, "data_sinks": {3200}}),
        ("pause_by_resource", "data_sources", 1100, "ACTIVE", "PAUSED", minus(CLICKSTREAM, {"data_sources": {1100}})),
    ],
)
def test_records_that_flow_activate_by_resource_reaches_the_resource_only_endpoint(
    emulator, sdk, method, collection, resource_id, start, target, siblings
):
    # PY flows.py#activate_by_resource/pause_by_resource follow the OpenAPI and call PUT /{res}/{id}/activate,
    # which Nexla's server serves as the resource-only action: that one resource changes, `all` is not read,
    # and the answer is the resource, not a flow (docs/nexla-api.md §2.1, 9.1). The SDK then fails to parse it as a
    # FlowResponse. The flow form is PUT /{res}/{id}/flow/activate (DOC-UF), which the project's client uses.
    action = "activate" if target == "ACTIVE" else "pause"
    with pytest.raises(pydantic.ValidationError) as raised:
        getattr(sdk(access_token=SUPER_TOKEN).flows, method)(collection, resource_id, all=True)
    assert [(e["type"], e["loc"]) for e in raised.value.errors()] == [("missing", ("flows",))]
    assert emulator.calls() == [("PUT", f"/{collection}/{resource_id}/{action}", {"all": "1"}, 200)]
    assert emulator.statuses(collection)[resource_id] == target
    assert set().union(*statuses_of(emulator, siblings).values()) == {start}


# ------------------------------------------------------------------------------------------ delete


def test_delete_by_flow_id_answers_none_for_the_empty_body(emulator, sdk):
    # OA promises {code, message}; the server answers `head :ok`, 200 with an empty body (docs/nexla-api.md §2.4), which
    # the SDK's HTTP client turns into None.
    client = sdk(access_token=SUPER_TOKEN)
    assert client.flows.delete(300) is None
    assert emulator.calls() == [("DELETE", "/flows/300", {}, 200)]
    assert 1200 not in emulator.ids("data_sources") and 3200 not in emulator.ids("data_sinks")
    with pytest.raises(sdk_errors.NotFoundError):
        client.flows.get(300)
    with pytest.raises(sdk_errors.NotFoundError):  # a second delete finds nothing (docs/nexla-api.md §5.4)
        client.flows.delete(300)


def test_delete_by_resource_deletes_the_node_and_what_is_below_it(emulator, sdk):
    emulator.set_status("data_sets", 2104, "PAUSED", cascade=True)
    assert sdk(access_token=SUPER_TOKEN).flows.delete_by_resource("data_sets", 2104) is None
    assert emulator.calls() == [("DELETE", "/data_sets/2104/flow", {}, 200)]
    assert emulator.ids("data_sets") >= {2100, 2101, 2102, 2103} and 2104 not in emulator.ids("data_sets")
    assert 3102 not in emulator.ids("data_sinks") and 3100 in emulator.ids("data_sinks")


def test_records_that_a_delete_refused_while_active_is_a_server_error(emulator, sdk):
    # Nexla answers 405, its state-conflict code, naming the active resources (docs/nexla-api.md §2.4, 5.1); PY maps
    # every status it does not know (405 included) to ServerError.
    with pytest.raises(sdk_errors.ServerError) as raised:
        sdk(access_token=SUPER_TOKEN).flows.delete(100)
    assert raised.value.status_code == 405
    assert raised.value.response == {
        "data_sources": [1000],
        "data_sets": [2000],
        "data_sinks": [3000],
        "message": "Active flow resources must be paused before flow deletion!",
    }
    assert 1000 in emulator.ids("data_sources")


@pytest.mark.parametrize(
    ("method", "args", "path"),
    [("delete", (600,), "/flows/600"), ("delete_by_resource", ("data_sets", 2500), "/data_sets/2500/flow")],
)
def test_records_that_a_delete_refused_for_a_shared_nexset_is_a_server_error(emulator, sdk, method, args, path):
    # Flow 600 is paused, but Other Co's flow 610 derives from its shared nexset 2500: 405 naming the sharers,
    # for the whole flow and for the sub-flow of the shared nexset alike (docs/nexla-api.md §2.4, §10.1).
    call = getattr(sdk(access_token=SUPER_TOKEN).flows, method)
    assert refusal(sdk_errors.ServerError, lambda: call(*args)) == (
        405,
        {
            "sharers": [{"email": "outsider@other.example", "org": "Other Co", "org_id": 3}],
            "message": "Flow cannot be deleted while shared nexsets have downstream flows",
        },
    )
    assert emulator.calls() == [("DELETE", path, {}, 405)]
    assert {1500} <= emulator.ids("data_sources") and {2500, 2510} <= emulator.ids("data_sets")


def test_records_that_a_delete_refused_for_a_linked_rag_flow_is_a_server_error(emulator, sdk):
    # Flow 700 is paused but linked to the RAG flow 710: 405 naming it (docs/nexla-api.md §2.4, §10.2).
    assert refusal(sdk_errors.ServerError, lambda: sdk(access_token=SUPER_TOKEN).flows.delete(700)) == (
        405,
        {"linked_rag_flow_ids": [710], "message": "Flow cannot be deleted while linked to a RAG flow"},
    )
    assert emulator.calls() == [("DELETE", "/flows/700", {}, 405)]
    assert {1600, 1610} <= emulator.ids("data_sources")


# ------------------------------------------------------------------------------------------ single resources


@pytest.mark.parametrize(
    ("resource", "collection", "resource_id"),
    [
        pytest.param("sources", "data_sources", 1000),
        pytest.param("nexsets", "data_sets", 2000),
        pytest.param("destinations", "data_sinks", 3000),
    ],
)
def test_get_single_resource(emulator, sdk, resource, collection, resource_id):
    gaps = Gaps()
    got = gaps.parse(lambda: getattr(sdk(access_token=SUPER_TOKEN), resource).get(resource_id))
    assert emulator.calls() == [("GET", f"/{collection}/{resource_id}", {}, 200)]
    if got is not None:
        assert (got.id, got.status) == (resource_id, "ACTIVE")
        assert (got.owner.id, got.owner.full_name, got.org.id) == (2, "Ada Analyst", 2)
    gaps.check()


def test_get_single_data_set_parses_into_nexset(emulator, sdk):
    got = sdk(access_token=SUPER_TOKEN).nexsets.get(2101)
    assert isinstance(got, Nexset)
    assert (got.id, got.name, got.data_source_id) == (2101, "sessions", None)  # its parent is data set 2100


@pytest.mark.parametrize(("action", "status"), [("pause", "PAUSED"), ("activate", "ACTIVE")])
def test_resource_only_activate_and_pause(emulator, sdk, action, status):
    start = "ACTIVE" if status == "PAUSED" else "PAUSED"
    emulator.set_status("data_sources", 1100, start, cascade=True)
    got = getattr(sdk(access_token=SUPER_TOKEN).nexsets, action)(2101)
    assert isinstance(got, Nexset) and (got.id, got.status) == (2101, status)
    assert emulator.calls() == [("PUT", f"/data_sets/2101/{action}", {}, 200)]
    assert set().union(*statuses_of(emulator, minus(CLICKSTREAM, {"data_sets": {2101}})).values()) == {start}


def test_records_that_activating_a_rate_limited_source_is_a_validation_error(emulator, sdk):
    # The resource-only activate refuses a RATE_LIMITED source before the source's own checks
    # (docs/nexla-api.md §10.7; SRV data_sources_controller.rb#activate); PY maps 400 to ValidationError.
    assert refusal(sdk_errors.ValidationError, lambda: sdk(access_token=SUPER_TOKEN).sources.activate(1300)) == (
        400,
        {"message": "Data source is rate limited"},
    )
    assert emulator.calls() == [("PUT", "/data_sources/1300/activate", {}, 400)]
    assert emulator.statuses("data_sources")[1300] == "RATE_LIMITED"


def test_records_that_deleting_an_active_sink_is_a_server_error(emulator, sdk):
    # DELETE /data_sinks/{id} refuses an ACTIVE sink with 405 (docs/nexla-api.md §10.8; SRV
    # data_sinks_controller.rb#destroy); PY maps 405 to ServerError. Once paused, the sink goes.
    client = sdk(access_token=SUPER_TOKEN)
    assert refusal(sdk_errors.ServerError, lambda: client.destinations.delete(3000)) == (
        405,
        {"message": "Data sink must be paused before deletion"},
    )
    assert 3000 in emulator.ids("data_sinks")
    emulator.set_status("data_sinks", 3000, "PAUSED")
    client.destinations.delete(3000)
    assert emulator.calls() == [("DELETE", "/data_sinks/3000", {}, 405), ("DELETE", "/data_sinks/3000", {}, 200)]
    assert 3000 not in emulator.ids("data_sinks")


def test_unknown_resource_is_not_found(emulator, sdk):
    with pytest.raises(sdk_errors.NotFoundError):
        sdk(access_token=SUPER_TOKEN).nexsets.get(99999)


def test_resource_of_another_org_is_forbidden(emulator, sdk):
    with pytest.raises(sdk_errors.AuthorizationError):
        sdk(access_token=OUTSIDER_TOKEN).nexsets.get(2000)

