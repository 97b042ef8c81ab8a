"""Spec fuzzing of the emulator: schemathesis with Nexla's OpenAPI plus the errata overlay.

    python conformance/fuzz.py --url http://127.0.0.1:PORT --seed N --max-examples N --reports DIR

Applies openapi-errata.yaml (apply_errata.py), then runs `schemathesis run` once per phase (examples,
coverage, fuzzing, stateful) with schemathesis' default checks (tuned in schemathesis.toml), the fixed seed
and the bounded number of examples, resetting the emulator to its sample org before each phase so that the
deletes of one phase do not leave the next with an empty org. Prints the figures and exits non-zero on any
failure or error, or on any 5xx answer in the emulator's request log.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import urllib.request
from collections import Counter
from pathlib import Path

import apply_errata

HERE = Path(__file__).resolve().parent
PHASES = ("examples", "coverage", "fuzzing", "stateful")


def control(url: str, method: str, path: str):
    request = urllib.request.Request(f"{url}/_emulator{path}", method=method)
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    return json.loads(body) if body else None


def run_phase(args: argparse.Namespace, spec: Path, phase: str) -> dict:
    report = args.reports / f"schemathesis-{phase}.json"
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(HERE / "schemathesis.toml"),
        "--no-color",
        "run",
        str(spec),
        "--url",
        args.url,
        "--phases",
        phase,
        "--seed",
        str(args.seed),
        "--max-examples",
        str(args.max_examples),
        "--workers",
        "1",  # one emulator state: requests in a fixed order, so a seed reproduces a run
        "--generation-database",
        "none",  # no examples carried over from earlier runs
        "--report",
        "json,junit",
        "--report-json-path",
        str(report),
        "--report-junit-path",
        str(args.reports / f"schemathesis-{phase}.xml"),
    ]
    log = args.reports / f"schemathesis-{phase}.log"
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, timeout=900)
    if not report.exists():
        print(log.read_text(encoding="utf-8")[-4000:], file=sys.stderr)
        raise SystemExit(f"fuzz: schemathesis ({phase}) exited {done.returncode} without a report; see {log}")
    result = json.loads(report.read_text(encoding="utf-8"))
    result["log"] = str(log)
    result["returncode"] = done.returncode
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--max-examples", type=int, required=True)
    parser.add_argument("--reports", type=Path, required=True)
    args = parser.parse_args(argv)
    args.url = args.url.rstrip("/")
    args.reports.mkdir(parents=True, exist_ok=True)

    build = args.reports / "openapi"
    if apply_errata.main(["--out", str(build)]) != 0:
        return 1
    spec = build / "nexla.yaml"

    totals: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    tested: set[int] = set()
    problems: list[str] = []
    for phase in PHASES:
        control(args.url, "POST", "/reset")
        result = run_phase(args, spec, phase)
        log = control(args.url, "GET", "/requests")
        phase_statuses = Counter(f"{entry['status'] // 100}xx" for entry in log)
        statuses.update(phase_statuses)
        cases = result["test_cases"]
        totals.update({k: v for k, v in cases.items() if isinstance(v, int)})
        tested.add(result["operations"]["tested"])
        failures = len(result.get("failures", []))
        errors = len(result.get("errors", []))
        status = result["phases"][phase]["status"]
        print(
            f"fuzz: {phase:<9} {status:<8} {cases['generated']:>5} test cases, {len(log):>5} requests "
            f"({', '.join(f'{k} {v}' for k, v in sorted(phase_statuses.items()))}), "
            f"{failures} failures, {errors} errors"
        )
        if failures or errors or result["returncode"] != 0:
            problems.append(f"{phase}: {failures} failures, {errors} errors (exit {result['returncode']}); see {result['log']}")
        if phase_statuses.get("5xx"):
            problems.append(f"{phase}: {phase_statuses['5xx']} answers with a 5xx status")

    summary = {
        "seed": args.seed,
        "max_examples": args.max_examples,
        "operations_tested": max(tested),
        "test_cases": totals["generated"],
        "unique_failures": totals["unique_failures"],
        "errored": totals["errored"],
        "requests_by_status": dict(sorted(statuses.items())),
        "problems": problems,
    }
    (args.reports / "fuzz-summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(
        f"fuzz: {summary['operations_tested']} operations, {summary['test_cases']} test cases, "
        f"{sum(statuses.values())} requests, {summary['unique_failures']} failures, {summary['errored']} errors, "
        f"{statuses.get('5xx', 0)} 5xx (seed {args.seed}, at most {args.max_examples} examples per operation)"
    )
    for problem in problems:
        print(f"fuzz: FAILED {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
