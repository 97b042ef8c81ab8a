"""Applies conformance/openapi-errata.yaml to Nexla's published OpenAPI files and writes the corrected copies.

    python conformance/apply_errata.py --out DIR [--openapi-dir docs/nexla-openapi]

Writes DIR/flows.yaml and DIR/session.yaml, and DIR/nexla.yaml: both merged into one document (they share
no path and no component name except identical security schemes), which schemathesis runs against. The
originals are never modified. JSON Patch (RFC 6902) is
implemented here for the five ops the overlay uses, so no extra package is needed.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ERRATA_FILE = HERE / "openapi-errata.yaml"
DEFAULT_OPENAPI_DIR = HERE.parent / "docs" / "nexla-openapi"
OPS = {"test", "add", "replace", "remove", "move"}


class ErratumError(Exception):
    """An erratum that cannot be applied: its premise no longer holds, or its patch is malformed."""


def _tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ErratumError(f"JSON pointer must start with '/': {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _parent(doc: Any, pointer: str) -> tuple[Any, str]:
    tokens = _tokens(pointer)
    if not tokens:
        raise ErratumError("the whole document cannot be patched")
    node = doc
    for token in tokens[:-1]:
        try:
            node = node[int(token)] if isinstance(node, list) else node[token]
        except (KeyError, IndexError, ValueError) as error:
            raise ErratumError(f"{pointer}: no {token!r} ({error})") from None
    return node, tokens[-1]


def _get(doc: Any, pointer: str) -> Any:
    parent, last = _parent(doc, pointer)
    try:
        return parent[int(last)] if isinstance(parent, list) else parent[last]
    except (KeyError, IndexError, ValueError):
        raise ErratumError(f"{pointer}: nothing there") from None


def _add(doc: Any, pointer: str, value: Any, *, must_be_new: bool) -> None:
    parent, last = _parent(doc, pointer)
    if isinstance(parent, list):
        index = len(parent) if last == "-" else int(last)
        parent.insert(index, value)
        return
    if not isinstance(parent, dict):
        raise ErratumError(f"{pointer}: parent is not an object or array")
    if must_be_new and last in parent:
        # Stricter than RFC 6902 `add` on purpose: an erratum never silently overwrites the spec's text.
        raise ErratumError(f"{pointer}: already present; use `replace` with a `test` first")
    parent[last] = value


def _remove(doc: Any, pointer: str) -> Any:
    value = _get(doc, pointer)
    parent, last = _parent(doc, pointer)
    if isinstance(parent, list):
        del parent[int(last)]
    else:
        del parent[last]
    return value


def apply_patch(doc: Any, patch: list[dict[str, Any]]) -> None:
    for op in patch:
        kind = op.get("op")
        if kind not in OPS:
            raise ErratumError(f"unsupported op {kind!r}")
        path = op["path"]
        if kind == "test":
            actual = _get(doc, path)
            if actual != op["value"]:
                raise ErratumError(
                    f"test failed at {path}: expected {json.dumps(op['value'])}, found {json.dumps(actual)}"
                )
        elif kind == "add":
            _add(doc, path, copy.deepcopy(op["value"]), must_be_new=True)
        elif kind == "replace":
            _get(doc, path)
            parent, last = _parent(doc, path)
            if isinstance(parent, list):
                parent[int(last)] = copy.deepcopy(op["value"])
            else:
                parent[last] = copy.deepcopy(op["value"])
        elif kind == "remove":
            _remove(doc, path)
        elif kind == "move":
            _add(doc, path, _remove(doc, op["from"]), must_be_new=True)


def load_errata(path: Path = ERRATA_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fd:
        return yaml.safe_load(fd)


def corrected_documents(openapi_dir: Path = DEFAULT_OPENAPI_DIR, errata_path: Path = ERRATA_FILE) -> dict[str, Any]:
    """{"flows": doc, "session": doc}, with the errata, then the emulator-scope entries, then the links applied."""
    overlay = load_errata(errata_path)
    docs = {}
    for key, name in overlay["files"].items():
        with (openapi_dir / name).open(encoding="utf-8") as fd:
            docs[key] = yaml.safe_load(fd)
    for erratum in [*overlay["errata"], *overlay.get("emulator_scope", []), *overlay.get("links", [])]:
        try:
            apply_patch(docs[erratum["file"]], erratum["patch"])
        except ErratumError as error:
            raise ErratumError(f"erratum {erratum['id']}: {error}") from None
    return docs


def merged(docs: dict[str, Any]) -> dict[str, Any]:
    """The flows document with the session document's paths and components added; a clash is an error."""
    result = copy.deepcopy(docs["flows"])
    result["info"]["title"] = "Nexla Rest Flows and Session Management API (with conformance/openapi-errata.yaml)"
    other = docs["session"]
    for path, item in other["paths"].items():
        if path in result["paths"]:
            raise ErratumError(f"both documents define the path {path}")
        result["paths"][path] = copy.deepcopy(item)
    for section, entries in other.get("components", {}).items():
        target = result["components"].setdefault(section, {})
        for name, value in entries.items():
            if name in target and target[name] != value:
                raise ErratumError(f"components/{section}/{name} differs between the documents")
            target[name] = copy.deepcopy(value)
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--openapi-dir", type=Path, default=DEFAULT_OPENAPI_DIR)
    args = parser.parse_args(argv)
    try:
        docs = corrected_documents(args.openapi_dir)
        docs["nexla"] = merged(docs)
    except ErratumError as error:
        print(f"apply_errata: {error}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for key, doc in docs.items():
        target = args.out / f"{key}.yaml"
        with target.open("w", encoding="utf-8") as fd:
            yaml.safe_dump(doc, fd, sort_keys=False, allow_unicode=True, width=120)
    overlay = load_errata()
    count, scope, links = (len(overlay.get(k, [])) for k in ("errata", "emulator_scope", "links"))
    print(f"apply_errata: {count} errata, {scope} emulator-scope and {links} link entries applied; wrote {', '.join(f'{k}.yaml' for k in docs)} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
