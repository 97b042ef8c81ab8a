"""The project's client sends what Nexla's Python SDK sends for the same operation.

Each case runs the operation twice against the same fresh emulator state: once through nexla-sdk, once through
the built TypeScript client (conformance/client-driver.mjs, loading dist/src/nexla). Method, path, query and
status come from the emulator's request log (GET /_emulator/requests); the other headers from a recording
proxy in front of it (the log holds no header by design). Where the two deliberately differ, the test
records the difference exactly, with its docs/nexla-api.md source, instead of accepting any difference.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pydantic
import pytest
from nexla_sdk import NexlaClient
from nexla_sdk.exceptions import NexlaError

from conftest import SUPER_KEY, SUPER_TOKEN, Emulator
from recording_proxy import RecordingProxy

HERE = Path(__file__).resolve().parent.parent
NODE = os.environ.get("CONFORMANCE_NODE", "node")

# Headers that say which HTTP library sent the request, not what was asked; never compared.
TRANSPORT_HEADERS = {
    "host": "the proxy's address, the same for both",
    "connection": "keep-alive handling of the HTTP library",
    "accept-encoding": "compressions the HTTP library can decode (requests: gzip, deflate; got adds br, zstd)",
    "user-agent": "names the client on purpose: nexla-sdk/1.0.8 vs pulumi-nexla",
}

# The header differences allowed, on requests without a body only, by method ("*": any).
# - PY client.py#request sends `Content-Type: application/json` on every request, GET included; the project's
#   client (like Nexla's JS SDK, nexla-client.ts) sends it only with a JSON body. With no body the server has
#   nothing to parse (docs/nexla-api.md §1).
# - requests adds `Content-Length: 0` to a bodiless DELETE, got sends no length; either way the request has
#   no content (RFC 9112 6.3). Both send `Content-Length: 0` on a bodiless PUT and on POST /token (docs/nexla-api.md §1).
SDK_ONLY_ON_BODILESS = {
    "*": {"content-type": "application/json"},
    "DELETE": {"content-length": "0"},
}


@dataclass
class Run:
    calls: list[tuple[str, str, dict[str, str], int]]
    headers: list[dict[str, str]]
    bodies: list[bytes]
    outcome: Any = None


@dataclass
class Case:
    id: str
    sdk: Callable[[NexlaClient], Any]
    client: list[dict[str, Any]]
    auth: str = "token"  # "token": the super user's access token; "key": its service key
    setup: Callable[[Emulator], None] = lambda emulator: None
    statuses: list[int] = field(default_factory=lambda: [200])


def pause_clickstream(emulator: Emulator) -> None:
    emulator.set_status("data_sources", 1100, "PAUSED", cascade=True)


def pause_below_2104(emulator: Emulator) -> None:
    emulator.set_status("data_sets", 2104, "PAUSED", cascade=True)


flow = lambda i: {"kind": "flow", "id": i}  # noqa: E731
data_set = lambda i: {"kind": "data_set", "id": i}  # noqa: E731

SAME = [
    Case("list flows", lambda c: c.flows.list(), [{"method": "listFlows"}]),
    Case("list flows, flows only", lambda c: c.flows.list(flows_only=True), [{"method": "listFlows", "args": [{"flowsOnly": True}]}]),
    Case(
        "list flows, one page",
        lambda c: c.flows.list(flows_only=True, page=2, per_page=2),
        [{"method": "listFlows", "args": [{"flowsOnly": True, "page": 2, "perPage": 2}]}],
    ),
    Case("get flow by id", lambda c: c.flows.get(100), [{"method": "getFlow", "args": [flow(100)]}]),
    Case("get flow by a node id", lambda c: c.flows.get(203), [{"method": "getFlow", "args": [flow(203)]}]),
    Case(
        "get flow by resource",
        lambda c: c.flows.get_by_resource("data_sets", 2101),
        [{"method": "getFlow", "args": [data_set(2101)]}],
    ),
    Case(
        "activate by flow id, whole flow",
        lambda c: c.flows.activate(301, full_tree=True),
        [{"method": "activate", "args": [flow(301), "flow"]}],
    ),
    Case(
        "activate by flow id, downstream",
        lambda c: c.flows.activate(207),
        [{"method": "activate", "args": [flow(207), "downstream"]}],
        setup=pause_clickstream,
    ),
    Case(
        "pause by flow id, whole flow",
        lambda c: c.flows.pause(203, full_tree=True),
        [{"method": "pause", "args": [flow(203), "flow"]}],
    ),
    Case(
        "pause by flow id, downstream",
        lambda c: c.flows.pause(203),
        [{"method": "pause", "args": [flow(203), "downstream"]}],
    ),
    Case(
        "activate refused: rate-limited flow",
        lambda c: c.flows.activate(400),
        [{"method": "activate", "args": [flow(400), "downstream"]}],
        statuses=[400],
    ),
    Case("delete by flow id", lambda c: c.flows.delete(300), [{"method": "deleteFlow", "args": [flow(300), "downstream"]}]),
    Case(
        "delete refused: active flow",
        lambda c: c.flows.delete(100),
        [{"method": "deleteFlow", "args": [flow(100), "downstream"]}],
        statuses=[405],
    ),
    Case(
        "delete by resource",
        lambda c: c.flows.delete_by_resource("data_sets", 2104),
        [{"method": "deleteFlow", "args": [data_set(2104), "downstream"]}],
        setup=pause_below_2104,
    ),
    Case("get data source", lambda c: c.sources.get(1000), [{"method": "getResource", "args": ["data_source", 1000]}]),
    Case("get data set", lambda c: c.nexsets.get(2000), [{"method": "getResource", "args": ["data_set", 2000]}]),
    Case("get data sink", lambda c: c.destinations.get(3000), [{"method": "getResource", "args": ["data_sink", 3000]}]),
    Case("pause one data set", lambda c: c.nexsets.pause(2101), [{"method": "pauseResource", "args": ["data_set", 2101]}]),
    Case(
        "activate one data set",
        lambda c: c.nexsets.activate(2101),
        [{"method": "activateResource", "args": ["data_set", 2101]}],
        setup=pause_clickstream,
    ),
    Case(
        "service key exchange, then get flow",
        lambda c: c.flows.get(100),
        [{"method": "getFlow", "args": [flow(100)]}],
        auth="key",
        statuses=[200, 200],
    ),
]


def run_sdk(case: Case, emulator: Emulator, proxy: RecordingProxy) -> Run:
    emulator.reset()
    case.setup(emulator)
    proxy.records.clear()
    auth = {"service_key": SUPER_KEY} if case.auth == "key" else {"access_token": SUPER_TOKEN}
    client = NexlaClient(base_url=proxy.url, **auth)
    try:
        outcome: Any = case.sdk(client)
    except (NexlaError, pydantic.ValidationError) as error:
        # Only the requests are compared here; test_sdk.py checks what the SDK makes of the answers.
        outcome = error
    return Run(emulator.calls(), [r.header_map() for r in proxy.records], [r.body for r in proxy.records], outcome)


def run_client(calls: list[dict[str, Any]], auth: str, emulator: Emulator, proxy: RecordingProxy, setup) -> Run:
    emulator.reset()
    setup(emulator)
    proxy.records.clear()
    scenario = {
        "baseUrl": proxy.url,
        "auth": {"serviceKey": SUPER_KEY} if auth == "key" else {"accessToken": SUPER_TOKEN},
        "calls": calls,
    }
    done = subprocess.run(
        [NODE, str(HERE / "client-driver.mjs")],
        input=json.dumps(scenario),
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ,
    )
    if done.returncode != 0:
        pytest.fail(
            f"The project's client could not be driven (exit {done.returncode}): {done.stderr.strip()}\n"
            "It is built from src/nexla by `npm run build` (dist/src/nexla/index.js must export createNexlaClient).",
            pytrace=False,
        )
    results = json.loads(done.stdout)["results"]
    return Run(emulator.calls(), [r.header_map() for r in proxy.records], [r.body for r in proxy.records], results)


def compared_headers(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k not in TRANSPORT_HEADERS}


@pytest.mark.parametrize("case", SAME, ids=[c.id for c in SAME])
def test_the_client_sends_what_the_sdk_sends(emulator, recorded, case):
    sdk = run_sdk(case, emulator, recorded)
    client = run_client(case.client, case.auth, emulator, recorded, case.setup)

    assert client.calls == sdk.calls, "method, path, query and status (emulator request log)"
    assert [c[3] for c in sdk.calls] == case.statuses
    for (method, *_), sdk_headers, client_headers, body in zip(
        client.calls, sdk.headers, client.headers, client.bodies, strict=True
    ):
        expected = compared_headers(sdk_headers)
        if body == b"":
            allowed = {**SDK_ONLY_ON_BODILESS["*"], **SDK_ONLY_ON_BODILESS.get(method, {})}
            for name, value in allowed.items():
                if expected.get(name) == value and name not in client_headers:
                    del expected[name]
        assert compared_headers(client_headers) == expected, f"headers of {method} (other than transport)"
    assert all(c["ok"] for c in client.outcome) == (case.statuses[-1] == 200), client.outcome


def test_records_that_flow_activate_by_resource_takes_different_paths(emulator, recorded):
    # The SDK follows the OpenAPI: PUT /{res}/{id}/activate, the resource-only action on Nexla's server. The
    # client uses the flow form of the guide, PUT /{res}/{id}/flow/activate (docs/nexla-api.md §2.1, 9.1; DOC-UF).
    case = Case(
        "activate by resource, whole flow",
        lambda c: c.flows.activate_by_resource("data_sets", 2200, all=True),
        [{"method": "activate", "args": [data_set(2200), "flow"]}],
    )
    sdk = run_sdk(case, emulator, recorded)
    assert sdk.calls == [("PUT", "/data_sets/2200/activate", {"all": "1"}, 200)]
    assert emulator.statuses("data_sources")[1200] == "PAUSED"  # only data set 2200 was activated
    client = run_client(case.client, case.auth, emulator, recorded, case.setup)
    assert client.calls == [("PUT", "/data_sets/2200/flow/activate", {"all": "1"}, 200)]
    assert {emulator.statuses(c)[i] for c, i in [("data_sources", 1200), ("data_sets", 2200), ("data_sinks", 3200)]} == {"ACTIVE"}


def test_records_that_pause_by_resource_takes_different_paths(emulator, recorded):
    case = Case(
        "pause by resource, downstream",
        lambda c: c.flows.pause_by_resource("data_sets", 2101),
        [{"method": "pause", "args": [data_set(2101), "downstream"]}],
    )
    sdk = run_sdk(case, emulator, recorded)
    assert sdk.calls == [("PUT", "/data_sets/2101/pause", {}, 200)]
    assert emulator.statuses("data_sets")[2102] == "ACTIVE"  # no cascade on the resource-only action
    client = run_client(case.client, case.auth, emulator, recorded, case.setup)
    assert client.calls == [("PUT", "/data_sets/2101/flow/pause", {}, 200)]
    assert {emulator.statuses("data_sets")[i] for i in (2101, 2102, 2103)} == {"PAUSED"}


def test_records_that_the_sdk_gets_a_token_for_every_call_and_the_client_reuses_it(emulator, recorded):
    # PY's token_refresh_margin (3600 s) is as long as a token lives, so it renews before every call
    # (docs/nexla-api.md §1, 9.10); the client renews only when the token is about to expire.
    case = Case(
        "two reads with a service key",
        lambda c: [c.flows.get(100, flows_only=True), c.flows.get(200, flows_only=True)],
        [{"method": "getFlow", "args": [flow(100)]}, {"method": "getFlow", "args": [flow(200)]}],
        auth="key",
    )
    sdk = run_sdk(case, emulator, recorded)
    client = run_client(case.client, case.auth, emulator, recorded, case.setup)
    assert [c[1] for c in sdk.calls] == ["/token", "/flows/100", "/token", "/flows/200"]
    assert [c[1] for c in client.calls] == ["/token", "/flows/100", "/flows/200"]
