"""Derive the bundled compatibility table (src/compat/*.json) from the sourced facts in
../shared/reference (facts.json, pins.json). Each row keeps its source and provenance.

    python scripts/derive_table.py [REFERENCE_DIR]

scripts/refresh_table.py then re-checks the pins against the packages' own metadata.
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "compat"
MADE = "2026-11-23"


def url(source):
    if isinstance(source, str):
        return source
    if source.get("url"):
        return source["url"]
    if source.get("repo"):
        ref = source.get("commit") or source.get("tag") or "HEAD"
        return f"https://github.com/{source['repo']}/blob/{ref}/{source.get('path', '')}"
    return source.get("dataset", "unknown")


def minor(version):
    return ".".join(version.split(".")[:2])


def write(name, subject, rows, sources, **extra):
    doc = {"meta": {"subject": subject, "schema_version": 1, "made": MADE, "sources": sorted(set(sources))}, **extra, "rows": rows}
    (OUT / f"{name}.json").write_text(json.dumps(doc, indent=1) + "\n")


def tensorflow(facts, pins):
    rows, sources = [], []
    for r in facts["tensorflow_tested_gpu_builds"]:
        if r["os"] != "linux":
            continue
        lo, hi = r["python"].split("-")
        same = [p for v, p in pins["tensorflow"].items() if minor(v) == minor(r["tf_version"])]
        pin = same[-1] if same else None
        and_cuda = pin.get("and_cuda") if pin and isinstance(pin.get("and_cuda"), dict) else None
        rows.append(
            {
                "version": minor(r["tf_version"]),
                "python": f">={lo},<{lo.split('.')[0]}.{int(hi.split('.')[1]) + 1}",
                "cuda": r["cuda"],
                "cudnn": r["cudnn"],
                "and_cuda": and_cuda,
                "and_cuda_provenance": pin.get("provenance") if and_cuda else None,
                "source": url(r["source"]),
            }
        )
        sources.append(url(r["source"]))
    note = facts["tensorflow_notes"][0]
    write(
        "tensorflow",
        "TensorFlow tested GPU builds (Linux)",
        rows,
        sources,
        last_native_windows_gpu="2.10",
        windows_source=url(note["source"]),
    )


def torch(facts, pins):
    rows = []
    arch = pins["torch_extra"]["cuda_arch_lists"]
    for version, p in pins["torch"].items():
        default = (p.get("default_wheel_cuda") or "").split(" ")[0] or None
        rows.append(
            {
                "version": version,
                "default_cuda": default,
                "variants": p.get("pytorch_index_variants"),
                "pins": p.get("pins") or None,
                "requires_python": p.get("requires_python"),
                "torchvision": p.get("torchvision"),
                "torchaudio": p.get("torchaudio"),
                "provenance": p.get("provenance", "unknown").split(":")[0].split(" (")[0],
                "source": "https://github.com/pytorch/pytorch/blob/main/RELEASE.md#release-compatibility-matrix",
            }
        )
    arch_lists = {k: v for k, v in arch.items() if k.startswith("cu")}
    # Older variants (third-party table in the reference notes): Maxwell..Hopper, as the cu126 list.
    arch_lists.setdefault("cu118", ["sm_37", "sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86", "sm_90"])
    arch_lists.setdefault("cu121", arch_lists["cu126"])
    arch_lists.setdefault("cu124", arch_lists["cu126"])
    arch_lists.setdefault("cu128", ["sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120", "compute_120"])
    arch_lists.setdefault("cu129", arch_lists["cu128"])
    write(
        "torch",
        "PyTorch releases: CUDA variants, default wheel, pins, companions",
        rows,
        ["https://github.com/pytorch/pytorch/blob/main/RELEASE.md"],
        arch_lists={k: [a.split(" ")[0] for a in v] for k, v in arch_lists.items()},
        index_url="https://download.pytorch.org/whl/{variant}",
    )


def cuda_driver(facts):
    rows = []
    for r in facts["cuda_toolkit_driver_versions"]:
        m = re.match(r"^(\d+\.\d+)", r["cuda"])
        linux = r["linux_x86_64_min_driver"]
        if not m or not re.match(r"^\d+(\.\d+)+$", linux):
            continue
        windows = r["windows_x86_64_min_driver"]
        # keep the GA row (lowest driver) of each CUDA minor
        if any(row["cuda"] == m.group(1) for row in rows):
            row = next(row for row in rows if row["cuda"] == m.group(1))
            if tuple(map(int, linux.split("."))) < tuple(map(int, row["linux"].split("."))):
                row.update(linux=linux, windows=windows if re.match(r"^\d", windows) else None)
            continue
        rows.append(
            {"cuda": m.group(1), "linux": linux, "windows": windows if re.match(r"^\d", windows) else None, "source": url(r["source"])}
        )
    minor_compat = [
        {"cuda_major": "13", "linux": "580.65.06", "windows": None},
        {"cuda_major": "12", "linux": "525.60.13", "windows": "527.41"},
        {"cuda_major": "11", "linux": "450.80.02", "windows": "452.39"},
    ]
    src = url(facts["cuda_minor_version_compatibility"][0]["source"])
    write("cuda-driver", "CUDA toolkit -> minimum NVIDIA driver", rows, [src], minor_version_compatibility=minor_compat)


def gpus(facts):
    rows = [
        {"gpu": r["gpu"], "compute_capability": r["compute_capability"], "arch": r.get("arch"), "source": url(r["source"])}
        for r in facts["gpu_compute_capability"]
        if url(r["source"]).startswith("https://")  # unsourced rows (A10G) stay out
    ]
    minimum = [
        {"cuda_major": "13", "min_compute_capability": "7.5"},
        {"cuda_major": "12", "min_compute_capability": "5.0"},
        {"cuda_major": "11", "min_compute_capability": "3.5"},
    ]
    sources = [url(r["source"]) for r in facts["cuda_architecture_support"]]
    write(
        "compute-capability",
        "GPU -> compute capability; oldest architecture per CUDA major",
        rows,
        sources,
        cuda_min_compute_capability=minimum,
    )


def bitsandbytes(facts):
    rows = []
    for r in facts["bitsandbytes_binaries"]:
        text = re.sub(r"\(\+[^)]*\)", "", r["cuda_binaries"])  # "(+13.4.0 for Windows ARM64 only)"
        cudas = set()
        if ".." in text:  # "11.8.0 .. 12.8.1, 12.9.1": the previous release's list up to 12.8, plus the rest
            cudas.update(rows[-1]["cuda"])
            text = re.sub(r"\d+\.\d+(\.\d+)?\s*\.\.\s*\d+\.\d+(\.\d+)?", "", text)
        for part in re.findall(r"(\d+\.\d+)(?:\.\d+)?(?:\s*(?:-|\.\.)\s*(\d+\.\d+))?", text):
            lo, hi = part
            if hi:
                a, b = map(int, lo.split(".")), map(int, hi.split("."))
                (lmaj, lmin), (hmaj, hmin) = list(a), list(b)
                for maj in range(lmaj, hmaj + 1):
                    for mi in range(lmin if maj == lmaj else 0, (hmin if maj == hmaj else 9) + 1):
                        cudas.add(f"{maj}.{mi}")
            else:
                cudas.add(lo)
        cudas = sorted({c for c in cudas if not c.startswith("10.")}, key=lambda c: tuple(map(int, c.split("."))))
        rows.append({"version": r["bnb_version"], "cuda": cudas, "note": text if "(" in text else None, "source": url(r["source"])})
    write("bitsandbytes", "bitsandbytes: CUDA versions with a bundled binary (Linux x86-64)", rows, [row["source"] for row in rows])


def jax(facts, pins):
    rows = []
    for version, p in pins["jax"].items():
        rows.append(
            {
                "version": version,
                "requires_python": p.get("jax_requires_python"),
                "cuda12": p.get("plugin_with_cuda_cu12"),
                "cuda13": p.get("plugin_with_cuda_cu13"),
                "provenance": str(p.get("provenance", "git tag")).split(":")[0],
                "source": "https://github.com/jax-ml/jax/blob/main/CHANGELOG.md",
            }
        )
    notes = [{"fact": r["fact"], "version": r["version"], "source": url(r["source"])} for r in facts["jax"]]
    write("jax", "JAX: CUDA plugins and the CUDA/cuDNN they need", rows, [n["source"] for n in notes], notes=notes)


def hosted(facts):
    rows = []
    for r in facts["colab_runtime_timeline"]:
        rows.append(
            {
                "runtime": "colab",
                "date": r["date"],
                "python": r.get("python"),
                "tensorflow": (r.get("tensorflow") or "").split("+")[0] or None,
                "torch": r.get("torch"),
                "jax": r.get("jax"),
                "cudnn_pip": r.get("nvidia_cudnn_cu12_pip"),
                "cuda_runtime_pip": r.get("nvidia_cuda_runtime_cu12_pip"),
                "source": "https://github.com/googlecolab/backend-info",
            }
        )
    write("hosted-runtimes", "Hosted runtime baselines (preinstalled versions)", rows, ["https://github.com/googlecolab/backend-info"])


def main():
    ref = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "reference"
    facts = json.loads((ref / "facts.json").read_text())
    pins = json.loads((ref / "pins.json").read_text())
    OUT.mkdir(parents=True, exist_ok=True)
    tensorflow(facts, pins)
    torch(facts, pins)
    cuda_driver(facts)
    gpus(facts)
    bitsandbytes(facts)
    jax(facts, pins)
    hosted(facts)


if __name__ == "__main__":
    main()
