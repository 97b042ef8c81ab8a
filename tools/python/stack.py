"""Runs a Python Pulumi program with the real Pulumi CLI through Pulumi's Python Automation API, offline, as
tools/stack.ts does for TypeScript: a local file backend, a passphrase secrets provider, no update checks and no
plugin downloads (docs/pulumi.md B3). The program is a file (a project's __main__.py) run as an inline program:
Pulumi's pulumi-language-python, which runs a `runtime: python` project folder, is not served here
(docs/pulumi.md C7); an inline program needs only the CLI and the provider plugins, which the CLI finds on PATH.

    python tools/python/stack.py '<options JSON>' <operation>

Options: program (the file), project, stack, workDir, pulumiBinDir (the folder holding `pulumi`), projectFile
(optional: a Pulumi.yaml copied into workDir, whose plugins.providers may name where pulumi-resource-nexla is;
without it the project is `runtime: python` and the plugin must be on PATH), config ({key: {value, secret}}),
env (for the CLI and its plugins). Prints one JSON object: operation, ok, stdout, stderr, error (when it
failed), changes (counts by kind), outputs (up).
The e2e tests run it with the venv of tools/python/ensure.mjs.
"""

import json
import os
import runpy
import shutil
import sys

import pulumi.automation as auto

PASSPHRASE = "pulumi-nexla-local-passphrase"
OPERATIONS = ("up", "preview", "preview-refresh-expect-no-changes", "refresh", "up-refresh", "destroy")


def offline_env(work_dir: str, pulumi_bin_dir: str) -> dict:
    return {
        "PATH": f"{pulumi_bin_dir}:{os.environ.get('PATH', '')}",
        "PULUMI_HOME": os.path.join(work_dir, ".pulumi-home"),
        "PULUMI_BACKEND_URL": "file://" + os.path.join(work_dir, ".pulumi-state"),
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    }


def open_stack(options: dict) -> auto.Stack:
    work_dir = options["workDir"]
    os.makedirs(os.path.join(work_dir, ".pulumi-state"), exist_ok=True)
    program_file = options["program"]

    def program() -> None:
        # The file runs as a project's __main__.py runs under pulumi-language-python: top to bottom, once.
        runpy.run_path(program_file, run_name="__main__")

    env = {**offline_env(work_dir, options["pulumiBinDir"]), **options.get("env", {})}
    project_file = options.get("projectFile")
    if project_file is not None:
        # The Automation API takes the project from a Pulumi.yaml it finds in workDir (its ProjectSettings has no
        # plugins section); the project's name must be the one given.
        shutil.copyfile(project_file, os.path.join(work_dir, "Pulumi.yaml"))
        settings = None
    else:
        settings = auto.ProjectSettings(name=options["project"], runtime="python")
    stack = auto.create_or_select_stack(
        stack_name=options["stack"],
        project_name=options["project"],
        program=program,
        opts=auto.LocalWorkspaceOptions(
            work_dir=work_dir,
            pulumi_command=auto.PulumiCommand(root=os.path.dirname(options["pulumiBinDir"])),
            env_vars=env,
            secrets_provider="passphrase",
            project_settings=settings,
        ),
    )
    for key, entry in options.get("config", {}).items():
        stack.set_config(key, auto.ConfigValue(value=entry["value"], secret=entry.get("secret", False)))
    return stack


def run(stack: auto.Stack, operation: str) -> dict:
    common = {"color": "never"}
    try:
        if operation in ("up", "up-refresh"):
            result = stack.up(refresh=operation == "up-refresh", **common)
            outputs = {key: value.value for key, value in result.outputs.items()}
            return done(operation, result.stdout, result.stderr, result.summary.resource_changes, outputs)
        if operation == "preview":
            result = stack.preview(**common)
            return done(operation, result.stdout, result.stderr, result.change_summary)
        if operation == "preview-refresh-expect-no-changes":
            result = stack.preview(refresh=True, expect_no_changes=True, **common)
            return done(operation, result.stdout, result.stderr, result.change_summary)
        if operation == "refresh":
            result = stack.refresh(**common)
            return done(operation, result.stdout, result.stderr, result.summary.resource_changes)
        if operation == "destroy":
            result = stack.destroy(**common)
            return done(operation, result.stdout, result.stderr, result.summary.resource_changes)
    except auto.CommandError as error:
        return {"operation": operation, "ok": False, "stdout": "", "stderr": "", "error": str(error), "changes": {}}
    raise ValueError(f"unknown operation {operation!r}: one of {', '.join(OPERATIONS)}")


def done(operation: str, stdout: str, stderr: str, changes, outputs=None) -> dict:
    # Counts by kind (the Automation API keys them by its OpType enum): plain strings, as tools/stack.ts gives them.
    counts = {str(getattr(kind, "value", kind)): count for kind, count in (changes or {}).items()}
    result = {"operation": operation, "ok": True, "stdout": stdout, "stderr": stderr, "changes": counts}
    if outputs is not None:
        result["outputs"] = outputs
    return result


def main(argv: list) -> int:
    if len(argv) != 3 or argv[2] not in OPERATIONS:
        sys.stderr.write(f"usage: stack.py '<options JSON>' <{'|'.join(OPERATIONS)}>\n")
        return 2
    result = run(open_stack(json.loads(argv[1])), argv[2])
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
