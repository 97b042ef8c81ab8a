"""Known emulator gaps: where the emulator leaves out something Nexla's server sends and Nexla's SDK requires.

There are none now: the emulator renders source_type, sink_type and credentials_type. The tests still parse
through `Gaps`, so if one of those fields goes missing again the test fails with EmulatorGap naming it, after
running every other assertion.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

import pydantic

T = TypeVar("T")

# Fields that the SDK's models require, that Nexla's server renders, and that the emulator omits.
MISSING_FIELDS = {
    "source_type": "data sources (flow `data_sources[]` and GET /data_sources/{id}); PY models/sources/responses.py Source",
    "sink_type": "data sinks (flow `data_sinks[]` and GET /data_sinks/{id}); PY models/destinations/responses.py Destination",
    "credentials_type": "flow `data_credentials[]`; PY models/credentials/responses.py Credential",
}


class EmulatorGap(Exception):
    """The SDK could not parse an answer only because of the known missing fields."""


def gap_fields(error: pydantic.ValidationError) -> set[str] | None:
    """The known missing fields behind `error`, or None if anything else is wrong too."""
    fields = set()
    for item in error.errors():
        last = item["loc"][-1] if item["loc"] else None
        if item["type"] != "missing" or last not in MISSING_FIELDS:
            return None
        fields.add(str(last))
    return fields


class Gaps:
    """Collects known gaps met during a test; `check()` at the end raises EmulatorGap if there were any."""

    def __init__(self) -> None:
        self.met: list[str] = []

    def parse(self, call: Callable[[], T]) -> T | None:
        """Runs an SDK call; a parse failure caused only by the known gap is noted and None returned."""
        try:
            return call()
        except pydantic.ValidationError as error:
            fields = gap_fields(error)
            if fields is None:
                raise
            self.met.append(f"{error.title}: missing {', '.join(sorted(fields))}")
            return None

    def check(self) -> None:
        if self.met:
            raise EmulatorGap("; ".join(self.met))


def flow_ids(response: Any) -> list[int]:
    return [node.id for node in response.flows]
