"""Fixtures of the conformance suite: the running emulator (started by conformance/run.sh), its control
routes, a recording proxy in front of it, and Nexla's Python SDK pointed at either."""

from __future__ import annotations

import json
import os
import urllib.request
from typing import Any, Callable

import pytest
from nexla_sdk import NexlaClient

from recording_proxy import RecordingProxy

# The sample org's credentials (README.md, "The Nexla API emulator").
SUPER_KEY, SUPER_TOKEN = "emu-super-service-key", "emu-super-access-token"
ANALYST_KEY, ANALYST_TOKEN = "emu-analyst-service-key", "emu-analyst-access-token"
OUTSIDER_TOKEN = "emu-outsider-access-token"


class Emulator:
    """The emulator's HTTP control routes under /_emulator (src/emulator/internal/routes/control.ts)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}/_emulator{path}", data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
        return json.loads(text) if text else None

    def reset(self) -> None:
        self._call("POST", "/reset")

    def requests(self) -> list[dict[str, Any]]:
        """The request log: method, path, query, status, userId (no headers)."""
        return self._call("GET", "/requests")

    def clear_requests(self) -> None:
        self._call("DELETE", "/requests")

    def unhandled(self) -> list[dict[str, Any]]:
        return self._call("GET", "/unhandled")

    def state(self) -> dict[str, Any]:
        return self._call("GET", "/state")

    def set_status(self, collection: str, resource_id: int, status: str, cascade: bool = False) -> None:
        """As a person in Nexla's UI would: not logged, no auth."""
        self._call("POST", f"/resources/{collection}/{resource_id}/status", {"status": status, "cascade": cascade})

    def inject_fault(self, **fault: Any) -> None:
        """A per-route fault (src/emulator/types.ts Fault): e.g. method, path, status, times."""
        self._call("POST", "/faults", fault)

    def statuses(self, collection: str) -> dict[int, str]:
        return {r["id"]: r["status"] for r in self.state()[collection]}

    def ids(self, collection: str) -> set[int]:
        return {r["id"] for r in self.state()[collection]}

    def calls(self) -> list[tuple[str, str, dict[str, str], int]]:
        """(method, path, query, status) of every API request since the last clear."""
        return [(e["method"], e["path"], e["query"], e["status"]) for e in self.requests()]


@pytest.fixture(scope="session")
def emulator_url() -> str:
    url = os.environ.get("NEXLA_EMULATOR_URL")
    if not url:
        pytest.exit(
            "NEXLA_EMULATOR_URL is not set: run the suite with `npm run test:conformance` (conformance/run.sh "
            "starts the emulator and sets it).",
            returncode=4,
        )
    return url.rstrip("/")


@pytest.fixture(scope="session")
def emulator(emulator_url: str) -> Emulator:
    return Emulator(emulator_url)


@pytest.fixture(autouse=True)
def fresh_emulator(emulator: Emulator):
    """Every test starts from the sample org with an empty request log, no tokens and no faults, and no
    request of it may reach a route the emulator does not model (answered like an unrouted path, 404)."""
    emulator.reset()
    yield
    assert emulator.unhandled() == [], "a request reached a route the emulator does not model"


@pytest.fixture(scope="session")
def proxy(emulator_url: str):
    recording = RecordingProxy(emulator_url).start()
    yield recording
    recording.stop()


@pytest.fixture
def recorded(proxy: RecordingProxy) -> RecordingProxy:
    proxy.records.clear()
    return proxy


@pytest.fixture
def sdk(emulator_url: str) -> Callable[..., NexlaClient]:
    """NexlaClient(service_key=…) or NexlaClient(access_token=…) against the emulator (or `base_url`)."""

    def make(*, service_key: str | None = None, access_token: str | None = None, base_url: str | None = None):
        return NexlaClient(service_key=service_key, access_token=access_token, base_url=base_url or emulator_url)

    return make
