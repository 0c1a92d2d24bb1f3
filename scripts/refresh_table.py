"""Re-derive from the packages' own metadata what the bundled table states, and update it.

    python scripts/refresh_table.py [--check] [--jobs N]      (make refresh-table)

For every PyTorch release in src/compat/torch.json: the default Linux wheel's Requires-Dist pins
(nvidia-*, cuda-*, triton), the CUDA those pins are, its Requires-Python, and the torchvision /
torchaudio releases whose metadata pins that torch. For every TensorFlow minor with
``[and-cuda]``: the extra's pins (newest patch). For every JAX release: the pins of
``jax-cudaNN-plugin[with-cuda]``. Metadata comes from pip's dry-run report (metadata only, from
the index pip is configured with). pip's config files are skipped on purpose: a local cap on what
may be installed must not hide a release's metadata.

Prints every disagreement with the table, then writes the table (not with --check, which exits 1
when something disagrees). What the metadata cannot say (the CUDA variants on PyTorch's own
index, the GPU architectures, the binaries bitsandbytes ships) keeps its documented source.
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
COMPAT = ROOT / "src" / "compat"
PROVENANCE = "package metadata (pip --dry-run --report)"
# The platform the pins are for: Linux x86_64, the Python running this script.
MARKER_ENV = {"platform_system": "Linux", "platform_machine": "x86_64", "sys_platform": "linux"}
CUDA_PACKAGE = re.compile(r"^(nvidia-|cuda-|triton$|tensorrt)")


def report(*requirements, deps=False):
    """pip's installation report for requirements, or an error message."""
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet", "--report", "-"]
    if not deps:
        command.append("--no-deps")
    env = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_CONSTRAINT": ""}
    done = subprocess.run([*command, *requirements], capture_output=True, text=True, env=env, timeout=600, check=False)
    if done.returncode:
        return f"pip could not resolve {' '.join(requirements)}: {done.stderr.strip().splitlines()[-1:]}"
    return {item["metadata"]["name"].lower(): item["metadata"] for item in json.loads(done.stdout)["install"]}


def pins(metadata, extra=""):
    """The CUDA-related pins of a distribution for Linux x86_64 (with `extra` selected)."""
    found = {}
    env = {**MARKER_ENV, "extra": extra}
    for text in metadata.get("requires_dist") or []:
        requirement = Requirement(text)
        if not CUDA_PACKAGE.match(requirement.name.lower()):
            continue
        if requirement.marker and not requirement.marker.evaluate(env):
            continue
        if extra and not (requirement.marker and "extra" in str(requirement.marker)):
            continue  # for an extra, only what the extra adds
        name = requirement.name + (f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else "")
        found[name] = str(requirement.specifier)
    return found


def cuda_of(found):
    """The CUDA release a set of pins is: the CUDA runtime's (or the cuda-toolkit's) major.minor."""
    for name, spec in found.items():
        if name.startswith(("nvidia-cuda-runtime", "cuda-toolkit")):
            version = re.search(r"==\s*(\d+\.\d+)", spec)
            if version:
                return version.group(1)
    return None


def torch_requirement(metadata):
    """The specifier a torchvision/torchaudio release puts on torch, or None (none stated)."""
    for text in metadata.get("requires_dist") or []:
        requirement = Requirement(text)
        if requirement.name == "torch" and not requirement.marker:
            return requirement.specifier
    return None


def pairs_with(specifier, torch):
    """Whether a companion's torch specifier names exactly this torch release (local labels such
    as ``==2.0.0+cu117`` count as that release)."""
    exact = [s.version.split("+")[0] for s in specifier if s.operator == "=="]
    return exact == [torch]


def companion(row, name):
    """The table's torchvision/torchaudio for a torch row, checked; found where the table has none.
    Newer companions state a range (torchvision 0.29: torch>=2.14.0) or nothing (torchaudio 2.11):
    then the metadata cannot pair them, and the table's value stays."""
    torch, known = row["version"], row.get(name)
    if known:
        answer = report(f"{name}=={known}")
        if isinstance(answer, str):
            return known
        specifier = torch_requirement(answer[name])
        if specifier is None or pairs_with(specifier, torch) or not any(s.operator == "==" for s in specifier):
            return known
    resolved = report(f"torch=={torch}", name, deps=True)
    if isinstance(resolved, dict) and name in resolved:
        specifier = torch_requirement(resolved[name])
        if specifier is not None and pairs_with(specifier, torch):
            return resolved[name]["version"]
    return known


def torch_row(row):
    """What the metadata says of one torch row: {field: value} or an error message."""
    base = report(f"torch=={row['version']}")
    if isinstance(base, str):
        return base
    metadata = base["torch"]
    found = pins(metadata)
    derived = {
        "pins": found or None,
        "default_cuda": cuda_of(found),
        "requires_python": metadata.get("requires_python"),
        "torchvision": companion(row, "torchvision"),
        "torchaudio": companion(row, "torchaudio"),
    }
    # Pins that name no CUDA runtime package say nothing of the wheel's CUDA (torch 2.13.0's): the
    # table keeps what the wheel's own torch/version.py said.
    if derived["default_cuda"] is None:
        del derived["default_cuda"]
    return derived


def tensorflow_row(row):
    if not _has_and_cuda(row["version"]):
        return {"and_cuda": row.get("and_cuda"), "_checked": False}  # nothing to ask the metadata
    base = report(f"tensorflow=={row['version']}.*")
    if isinstance(base, str):
        return base
    metadata = base["tensorflow"]
    found = pins(metadata, extra="and-cuda")
    return {"and_cuda": found or None, "_patch": metadata["version"]}


def jax_row(row):
    derived = {"_checked": False}
    for key, plugin in (("cuda12", "jax-cuda12-plugin"), ("cuda13", "jax-cuda13-plugin")):
        base = report(f"{plugin}=={row['version']}")
        if isinstance(base, str):
            print(f"  jax {row['version']}: no {plugin} release, the table's {key} stays")
            derived[key] = row.get(key)
            continue
        found = pins(base[plugin], extra="with-cuda")
        table = row.get(key)
        derived["_checked"] |= bool(found)
        if not found:  # releases before the with-cuda extra state no pins: the table's source stays
            derived[key] = table
            continue
        same = table is not None and {_canonical(r) for r in table} == {_canonical(f"{n}{s}") for n, s in found.items()}
        derived[key] = table if same else sorted(f"{name}{spec}" for name, spec in found.items()) or None
    return derived


def _canonical(text):
    requirement = Requirement(text)
    return requirement.name.lower(), requirement.specifier


SUBJECTS = {
    "torch": (torch_row, ["pins", "default_cuda", "requires_python", "torchvision", "torchaudio"], "provenance"),
    "tensorflow": (tensorflow_row, ["and_cuda"], "and_cuda_provenance"),
    "jax": (jax_row, ["cuda12", "cuda13"], "provenance"),
}


def refresh(subject, jobs, today):
    path = COMPAT / f"{subject}.json"
    table = json.loads(path.read_text(encoding="utf-8"))
    derive, fields, provenance_field = SUBJECTS[subject]
    rows = table["rows"]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        answers = list(pool.map(derive, rows))
    disagreements = []
    for row, answer in zip(rows, answers):
        label = f"{subject} {row['version']}"
        if isinstance(answer, str):
            print(f"  {label}: no metadata ({answer})")
            continue
        changed = [f for f in fields if f in answer and answer[f] != row.get(f)]
        for field in changed:
            disagreements.append(f"{label} {field}: table {json.dumps(row.get(field))} -> metadata {json.dumps(answer[field])}")
            row[field] = answer[field]
        if answer.get("_checked", True):  # only rows the metadata spoke for (see jax_row, tensorflow_row)
            source = f" {answer['_patch']}" if "_patch" in answer else ""
            row[provenance_field] = f"{PROVENANCE}{source}, {today}"
    table["meta"]["refreshed"] = today
    return table, path, disagreements


def _has_and_cuda(minor):
    # tensorflow[and-cuda] exists from 2.14 on.
    major, minor_number = (int(p) for p in minor.split(".")[:2])
    return (major, minor_number) >= (2, 14)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report disagreements, change nothing, exit 1 if any")
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("subjects", nargs="*", help=f"some of {', '.join(SUBJECTS)} (default: all)")
    args = parser.parse_args(argv)
    unknown = set(args.subjects) - set(SUBJECTS)
    if unknown:
        parser.error(f"unknown subject(s): {', '.join(sorted(unknown))}")
    today = datetime.date.today().isoformat()
    found = []
    for subject in args.subjects or SUBJECTS:
        print(f"{subject}: reading metadata…", flush=True)
        table, path, disagreements = refresh(subject, args.jobs, today)
        found += disagreements
        if not args.check:
            path.write_text(json.dumps(table, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n{len(found)} disagreement(s) with the table" + (":" if found else "."))
    for line in found:
        print(f"  {line}")
    return 1 if args.check and found else 0


if __name__ == "__main__":
    sys.exit(main())
