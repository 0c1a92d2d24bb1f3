"""Minimal valid wheels (metadata only, which is all a pip dry run reads), for a local package folder
the tests resolve against with real pip: `PIP_NO_INDEX=1 PIP_FIND_LINKS=<folder>`, no network."""

import base64
import hashlib
import zipfile


def make_wheel(folder, name, version, requires=(), requires_python=None):
    dist = f"{name.replace('-', '_')}-{version}"
    path = folder / f"{dist}-py3-none-any.whl"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    metadata += "".join(f"Requires-Dist: {r}\n" for r in requires)
    if requires_python:
        metadata += f"Requires-Python: {requires_python}\n"
    files = {
        f"{dist}.dist-info/METADATA": metadata,
        f"{dist}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    with zipfile.ZipFile(path, "w") as wheel:
        for arcname, text in files.items():
            wheel.writestr(arcname, text)
            digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
            record.append(f"{arcname},sha256={digest},{len(text)}")
        record.append(f"{dist}.dist-info/RECORD,,")
        wheel.writestr(f"{dist}.dist-info/RECORD", "\n".join(record) + "\n")
    return path


def make_index(folder):
    """The packages the tests install: one that drags TensorFlow down, one whose newest release
    drags it down while an older one keeps it, one that needs NumPy < 2, one with no wheel for a
    current Python."""
    folder.mkdir(parents=True, exist_ok=True)
    make_wheel(folder, "tensorflow", "2.15.0")
    make_wheel(folder, "tensorflow", "2.18.0")
    make_wheel(folder, "needs-old-tf", "1.0", requires=["tensorflow==2.15.0"])
    make_wheel(folder, "needs-tf-loose", "1.0", requires=["tensorflow<2.19"])
    make_wheel(folder, "needs-tf-loose", "2.0", requires=["tensorflow==2.15.0"])
    make_wheel(folder, "numpy", "1.26.4")
    make_wheel(folder, "needs-numpy-1", "1.0", requires=["numpy<2"])
    make_wheel(folder, "only-old-python", "1.0", requires_python="<3.8")
    return folder
