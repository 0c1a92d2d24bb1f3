"""Report the facts that decide whether a Python environment can use its GPU.

Standard library only, Python 3.9+. It never imports torch, tensorflow, jax or
bitsandbytes: versions come from ``*.dist-info`` folder names, the CUDA a
framework was built for from its own files read as text, and the driver and
GPUs from NVML / ``libcuda`` asked in a short-lived child process (so the
kernel never initialises CUDA and a hung driver call is bounded by a timeout),
with ``nvidia-smi`` as the fallback.

Run it on its own (``python probe.py``, ``python -m jupyterlab_gpu_compat.probe``)
to print one JSON document, or load it into a kernel (``load_into_kernel``), as
the JupyterLab extension does, and read ``_repr_json_`` of ``report()``.
"""

import json
import os
import platform
import re
import subprocess
import sys
import time

__all__ = ["collect", "main", "report"]

PROBE_VERSION = "0.1.0"
SCHEMA_VERSION = 1
MODULE_NAME = "_jupyterlab_gpu_compat_probe"

FRAMEWORK_MODULES = ("torch", "tensorflow", "jax", "jaxlib", "bitsandbytes", "torchvision", "torchaudio")
CHILD_TIMEOUT_S = 5.0
NVIDIA_SMI_TIMEOUT_S = 3.0
ENV_KEYS = (
    "CUDA_VISIBLE_DEVICES",
    "NVIDIA_VISIBLE_DEVICES",
    "NVIDIA_DRIVER_CAPABILITIES",
    "LD_LIBRARY_PATH",
    "CUDA_HOME",
    "CUDA_PATH",
    "CUDNN_PATH",
    "XLA_FLAGS",
    "TF_CPP_MIN_LOG_LEVEL",
    "PYTORCH_CUDA_ALLOC_CONF",
    "BNB_CUDA_VERSION",
)
# Libraries whose versions matter, by the stem of their file name.
LIBRARY_STEMS = {
    "cudart": "libcudart.so",
    "cudnn": "libcudnn.so",
    "cublas": "libcublas.so",
    "cufft": "libcufft.so",
    "nccl": "libnccl.so",
    "nvrtc": "libnvrtc.so",
    "tensorrt": "libnvinfer.so",
}
SYSTEM_LIB_DIRS = (
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/usr/lib64",
    "/usr/lib",
    "/usr/local/nvidia/lib64",
    "/usr/local/nvidia/lib",
    "/usr/lib/wsl/lib",
)


# nvmlReturn_t values a failing nvmlInit gives (nvml.h), named in the error the engine shows.
NVML_ERRORS = {
    3: "NVML_ERROR_NOT_SUPPORTED",
    9: "NVML_ERROR_DRIVER_NOT_LOADED",
    12: "NVML_ERROR_LIBRARY_NOT_FOUND",
    18: "NVML_ERROR_LIB_RM_VERSION_MISMATCH",
    999: "NVML_ERROR_UNKNOWN",
}


class Errors(list):
    """The failed steps: a step that fails is recorded here and the probe goes on."""

    def guard(self, step, fn, *args, default=None):
        try:
            return fn(*args)
        except Exception as exc:  # noqa: BLE001 - a failed step must never fail the probe
            self.append({"step": step, "message": f"{type(exc).__name__}: {exc}"})
            return default


def _read(path, limit=1 << 20):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read(limit)


def _listdir(path):
    try:
        return os.listdir(path)
    except OSError:
        return []


def _normalize(name):
    """PEP 503 normalised project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


# --- Python and platform -------------------------------------------------------------------


def get_python():
    prefix = sys.prefix
    conda_prefix = os.environ.get("CONDA_PREFIX")
    return {
        "version": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "prefix": prefix,
        "venv": sys.prefix != getattr(sys, "base_prefix", sys.prefix),
        "conda": os.path.isdir(os.path.join(prefix, "conda-meta")) or bool(conda_prefix),
        "conda_prefix": conda_prefix,
    }


def get_distro():
    """``/etc/os-release`` as a dict of the fields we show."""
    try:
        text = _read("/etc/os-release")
    except OSError:
        return None
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip().strip('"')
    return {"id": fields.get("ID"), "version_id": fields.get("VERSION_ID"), "pretty_name": fields.get("PRETTY_NAME")}


def get_container(environ):
    if os.path.exists("/.dockerenv"):
        return "docker"
    if os.path.exists("/run/.containerenv"):
        return "podman"
    if environ.get("KUBERNETES_SERVICE_HOST"):
        return "kubernetes"
    try:
        cgroup = _read("/proc/1/cgroup", 1 << 14)
    except OSError:
        return None
    for marker in ("docker", "kubepods", "containerd", "lxc"):
        if marker in cgroup:
            return "kubernetes" if marker == "kubepods" else marker
    return None


# (name, environment variable that marks it, variable holding its release tag)
HOSTED_MARKERS = (
    ("colab", "COLAB_RELEASE_TAG", "COLAB_RELEASE_TAG"),
    ("colab", "COLAB_GPU", None),
    ("kaggle", "KAGGLE_KERNEL_RUN_TYPE", "KAGGLE_DOCKER_IMAGE"),
    ("kaggle", "KAGGLE_URL_BASE", "KAGGLE_DOCKER_IMAGE"),
    ("sagemaker", "SAGEMAKER_INTERNAL_IMAGE_URI", "SAGEMAKER_INTERNAL_IMAGE_URI"),
    ("sagemaker", "SM_CURRENT_HOST", None),
    ("databricks", "DATABRICKS_RUNTIME_VERSION", "DATABRICKS_RUNTIME_VERSION"),
    ("paperspace", "PAPERSPACE_NOTEBOOK_ID", None),
    ("lightning", "LIGHTNING_CLOUDSPACE_HOST", None),
    ("vertex-ai", "VERTEX_PRODUCT", None),
    ("jupyterhub", "JUPYTERHUB_API_URL", None),
)


def get_hosted(environ):
    for name, marker, tag_key in HOSTED_MARKERS:
        if environ.get(marker):
            return {"name": name, "release": environ.get(tag_key) if tag_key else None}
    return None


def get_platform(environ, errors):
    release = platform.release()
    system = platform.system()
    wsl = system == "Linux" and ("microsoft" in release.lower() or os.path.exists("/proc/sys/fs/binfmt_misc/WSLInterop"))
    return {
        "system": system,
        "release": release,
        "machine": platform.machine(),
        "distro": errors.guard("distro", get_distro) if system == "Linux" else None,
        "wsl": wsl,
        "container": errors.guard("container", get_container, environ) if system == "Linux" else None,
        "hosted": get_hosted(environ),
    }


# --- installed distributions -----------------------------------------------------------------


def site_dirs():
    """The ``sys.path`` entries that are folders, in import order, without duplicates."""
    seen, dirs = set(), []
    for entry in sys.path:
        path = os.path.abspath(entry or os.getcwd())
        if path not in seen and os.path.isdir(path):
            seen.add(path)
            dirs.append(path)
    return dirs


_DIST_RE = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+?)(?:-py\d[^-]*)?\.(?:dist-info|egg-info)$")


def get_packages(dirs):
    """``{normalised name: {"version", "location"}}`` from folder names, first on ``sys.path`` wins.

    Reading every METADATA file costs ~50 ms for 86 packages; the folder names hold the same
    name and version for wheel installs and cost under a millisecond.
    """
    packages = {}
    for directory in dirs:
        for entry in _listdir(directory):
            if not entry.endswith((".dist-info", ".egg-info")):
                continue
            match = _DIST_RE.match(entry)
            if match:
                name, version = match.group("name"), match.group("version")
            else:  # an egg-info without a version in its name: ask its PKG-INFO
                name, version = entry.rsplit(".", 1)[0], _metadata_field(os.path.join(directory, entry), "Version")
            key = _normalize(name)
            if key not in packages and version:
                packages[key] = {"version": version, "location": directory}
    return packages


def _metadata_path(dist_dir):
    for name in ("METADATA", "PKG-INFO"):
        path = os.path.join(dist_dir, name)
        if os.path.isfile(path):
            return path
    return None


def _metadata_field(dist_dir, field, many=False):
    path = _metadata_path(dist_dir) if os.path.isdir(dist_dir) else dist_dir
    if path is None:
        return [] if many else None
    values = []
    prefix = field + ":"
    for line in _read(path).splitlines():
        if not line.strip():
            break  # headers end at the first blank line
        if line.startswith(prefix):
            value = line[len(prefix) :].strip()
            if not many:
                return value
            values.append(value)
    return values if many else None


def find_dist_dir(name, version, location):
    want = _normalize(name)
    for entry in _listdir(location):
        if entry.endswith(".dist-info") and entry.startswith(tuple({name.replace("-", "_"), name})):
            match = _DIST_RE.match(entry)
            if match and _normalize(match.group("name")) == want and match.group("version") == version:
                return os.path.join(location, entry)
    return None


def requires_dist(packages, name):
    info = packages.get(name)
    if not info:
        return []
    dist_dir = find_dist_dir(name, info["version"], info["location"])
    return _metadata_field(dist_dir, "Requires-Dist", many=True) if dist_dir else []


# --- frameworks, read as text -----------------------------------------------------------------

_ASSIGN_RE = re.compile(r"^(\w+)\s*(?::[^=]+)?=\s*(.+?)\s*$", re.M)


def _assignments(text):
    """Module-level ``name = literal`` assignments of a ``version.py``-like file."""
    import ast

    values = {}
    for name, expr in _ASSIGN_RE.findall(text):
        try:
            values[name] = ast.literal_eval(expr)
        except (ValueError, SyntaxError):
            continue
    return values


def _package_dir(packages, dist_name, module):
    info = packages.get(dist_name)
    if not info:
        return None
    path = os.path.join(info["location"], module)
    return path if os.path.isdir(path) else None


def _imported_version(module):
    mod = sys.modules.get(module)
    version = getattr(mod, "__version__", None) if mod is not None else None
    return str(version) if version is not None else None


def get_torch(packages):
    info = packages.get("torch")
    if not info:
        return None
    result = {"version": info["version"], "cuda": None, "hip": None, "git_version": None}
    pkg = _package_dir(packages, "torch", "torch")
    if pkg and os.path.isfile(os.path.join(pkg, "version.py")):
        values = _assignments(_read(os.path.join(pkg, "version.py")))
        result.update(cuda=values.get("cuda"), hip=values.get("hip"), git_version=values.get("git_version"))
    result["requires"] = [r for r in requires_dist(packages, "torch") if r.startswith(("nvidia-", "cuda-", "triton"))]
    result["bundled_libs"] = sorted(e for e in _listdir(os.path.join(pkg, "lib")) if e.startswith("libcu")) if pkg else []
    return result


def get_companion(packages, name):
    """torchvision / torchaudio: version and the CUDA in their ``version.py``."""
    info = packages.get(name)
    if not info:
        return None
    pkg = _package_dir(packages, name, name)
    values = _assignments(_read(os.path.join(pkg, "version.py"))) if pkg and os.path.isfile(os.path.join(pkg, "version.py")) else {}
    return {"version": info["version"], "cuda": values.get("cuda")}


def get_tensorflow(packages):
    for dist in ("tensorflow", "tensorflow-cpu", "tf-nightly", "tensorflow-gpu", "tensorflow-intel", "tensorflow-macos"):
        if dist in packages:
            break
    else:
        return None
    result = {"distribution": dist, "version": packages[dist]["version"], "cuda": None, "cudnn": None, "is_cuda_build": None}
    pkg = os.path.join(packages[dist]["location"], "tensorflow")
    build_info = os.path.join(pkg, "python", "platform", "build_info.py")
    if os.path.isfile(build_info):
        text = _read(build_info)
        import ast

        match = re.search(r"build_info\s*=\s*(?:collections\.OrderedDict\()?(\{.*?\}|\[.*?\])\)?\s*$", text, re.S | re.M)
        if match:
            raw = ast.literal_eval(match.group(1))
            info = dict(raw)
            result.update(
                cuda=info.get("cuda_version"),
                cudnn=info.get("cudnn_version"),
                is_cuda_build=info.get("is_cuda_build"),
                compute_capabilities=info.get("cuda_compute_capabilities"),
            )
    result["requires"] = [r for r in requires_dist(packages, dist) if "nvidia-" in r or "tensorrt" in r]
    return result


def get_jax(packages):
    if "jax" not in packages and "jaxlib" not in packages:
        return None
    plugins = {
        name: packages[name]["version"]
        for name in sorted(packages)
        if re.match(r"jax-cuda\d+-(plugin|pjrt)$", name) or name == "jax-rocm-plugin"
    }
    jaxlib = packages.get("jaxlib", {}).get("version")
    # jaxlib <= 0.4.x CUDA wheels carried the CUDA/cuDNN in the local version: 0.4.20+cuda12.cudnn89
    local = re.search(r"\+cuda(\d+)(?:\.cudnn(\d+))?", jaxlib or "")
    return {
        "version": packages.get("jax", {}).get("version"),
        "jaxlib": jaxlib,
        "plugins": plugins,
        "jaxlib_cuda": local.group(1) if local else None,
        "jaxlib_cudnn": local.group(2) if local and local.group(2) else None,
    }


_BNB_LIB_RE = re.compile(r"^libbitsandbytes_(cuda\d+|cpu|rocm\d*|hip\w*|mps|xpu)(_nocublaslt)?\.(so|dll|dylib)$")


def get_bitsandbytes(packages):
    info = packages.get("bitsandbytes")
    if not info:
        return None
    pkg = _package_dir(packages, "bitsandbytes", "bitsandbytes")
    binaries = sorted(e for e in _listdir(pkg) if _BNB_LIB_RE.match(e)) if pkg else []
    cuda = sorted({m.group(1)[4:] for m in map(_BNB_LIB_RE.match, binaries) if m.group(1).startswith("cuda")}, key=int)
    return {"version": info["version"], "binaries": binaries, "cuda_versions": cuda}


def get_frameworks(packages, errors):
    frameworks = {
        "torch": errors.guard("torch", get_torch, packages),
        "torchvision": errors.guard("torchvision", get_companion, packages, "torchvision"),
        "torchaudio": errors.guard("torchaudio", get_companion, packages, "torchaudio"),
        "tensorflow": errors.guard("tensorflow", get_tensorflow, packages),
        "jax": errors.guard("jax", get_jax, packages),
        "bitsandbytes": errors.guard("bitsandbytes", get_bitsandbytes, packages),
    }
    frameworks["imported"] = {m: _imported_version(m) for m in FRAMEWORK_MODULES if m in sys.modules}
    return frameworks


# --- CUDA libraries and toolkits --------------------------------------------------------------


def _lib_version_from_name(filename, stem):
    """``libcudnn.so.9.1.0`` -> ``9.1.0``; ``libcudart.so.12`` -> ``12``."""
    rest = filename[len(stem) :]
    return rest[1:] if rest.startswith(".") and re.match(r"^\.\d+(\.\d+)*$", rest) else None


def _header_version(include_dir, kind):
    """Versions written in the headers that ship beside the libraries."""
    if kind == "cudnn":
        for header in ("cudnn_version.h", "cudnn.h"):
            path = os.path.join(include_dir, header)
            if os.path.isfile(path):
                text = _read(path)
                parts = [re.search(rf"#define CUDNN_{k}\s+(\d+)", text) for k in ("MAJOR", "MINOR", "PATCHLEVEL")]
                if all(parts):
                    return ".".join(p.group(1) for p in parts)
    if kind == "cudart":
        path = os.path.join(include_dir, "cuda_runtime_api.h")
        if os.path.isfile(path):
            match = re.search(r"#define CUDART_VERSION\s+(\d+)", _read(path))
            if match:
                number = int(match.group(1))
                return f"{number // 1000}.{number % 1000 // 10}"
    return None


def _pip_lib_dirs(dirs):
    """``nvidia/<component>/lib`` (CUDA 11/12 wheels) and ``nvidia/cu13/lib`` (CUDA 13 wheels)."""
    found = []
    for site in dirs:
        root = os.path.join(site, "nvidia")
        for component in sorted(_listdir(root)):
            lib = os.path.join(root, component, "lib")
            if os.path.isdir(lib):
                found.append((lib, "pip", component))
        tensorrt = os.path.join(site, "tensorrt_libs")
        if os.path.isdir(tensorrt):
            found.append((tensorrt, "pip", "tensorrt"))
    return found


def _toolkit_dirs(environ):
    roots = []
    for key in ("CUDA_HOME", "CUDA_PATH"):
        if environ.get(key):
            roots.append(environ[key])
    roots += sorted(os.path.join("/usr/local", e) for e in _listdir("/usr/local") if re.match(r"^cuda(-\d+(\.\d+)?)?$", e))
    for entry in environ.get("PATH", "").split(os.pathsep):
        nvcc = os.path.join(entry, "nvcc") if entry else ""
        if nvcc and os.path.isfile(nvcc):
            # /usr/local/bin/nvcc is often a link into /usr/local/cuda-X.Y/bin: follow it to the toolkit
            roots.append(os.path.dirname(os.path.dirname(os.path.realpath(nvcc))))
    unique = []
    for root in roots:
        real = os.path.realpath(root)
        if os.path.isdir(real) and real not in [os.path.realpath(u) for u in unique]:
            unique.append(root)
    return unique


def get_toolkits(environ):
    toolkits = []
    for root in _toolkit_dirs(environ):
        version = None
        version_json = os.path.join(root, "version.json")
        version_txt = os.path.join(root, "version.txt")
        if os.path.isfile(version_json):
            version = json.loads(_read(version_json)).get("cuda", {}).get("version")
        elif os.path.isfile(version_txt):
            match = re.search(r"(\d+\.\d+(\.\d+)?)", _read(version_txt))
            version = match.group(1) if match else None
        if version is None:
            version = _header_version(os.path.join(root, "include"), "cudart")
        if version is None:
            continue  # e.g. /usr/local/bin/nvcc as a wrapper script: no toolkit lives there
        toolkits.append(
            {
                "path": root,
                "real_path": os.path.realpath(root),
                "version": version,
                "nvcc": os.path.isfile(os.path.join(root, "bin", "nvcc")),
            }
        )
    return toolkits


def _loader_config_dirs():
    """Folders the loader's cache knows from /etc/ld.so.conf.d (where cuda-compat packages register)."""
    found = []
    for entry in _listdir("/etc/ld.so.conf.d"):
        try:
            text = _read(os.path.join("/etc/ld.so.conf.d", entry), limit=1 << 16)
        except OSError:
            continue
        found += [line.strip() for line in text.splitlines() if line.strip().startswith("/")]
    return found


def get_compat(environ, toolkits):
    """cuda-compat forward-compatibility drivers: ``<toolkit>/compat/libcuda.so.<driver version>``.

    The process uses one only when its folder is on the loader's path (LD_LIBRARY_PATH or ld.so.conf.d).
    """
    on_path = {os.path.realpath(d) for d in [*environ.get("LD_LIBRARY_PATH", "").split(os.pathsep), *_loader_config_dirs()] if d}
    roots = [t["path"] for t in toolkits] + [os.path.join("/usr/local", e) for e in _listdir("/usr/local") if e.startswith("cuda")]
    compat, seen = [], set()
    for root in roots:
        folder = os.path.join(root, "compat")
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        for name in sorted(_listdir(folder)):
            match = re.match(r"^libcuda\.so\.(\d+\.\d+(?:\.\d+)?)$", name)
            if match:
                cuda = re.search(r"cuda-(\d+\.\d+)", os.path.realpath(root))
                compat.append(
                    {
                        "path": os.path.join(folder, name),
                        "version": match.group(1),
                        "cuda": cuda.group(1) if cuda else None,
                        "on_loader_path": real in on_path,
                    }
                )
    return compat


def _library_dirs(environ, dirs, toolkits):
    """(folder, source, pip component) in the order the dynamic loader would likely search them."""
    ordered = [(d, "ld_library_path", None) for d in environ.get("LD_LIBRARY_PATH", "").split(os.pathsep) if d]
    ordered += _pip_lib_dirs(dirs)
    conda = environ.get("CONDA_PREFIX") or (sys.prefix if os.path.isdir(os.path.join(sys.prefix, "conda-meta")) else None)
    if conda:
        ordered.append((os.path.join(conda, "lib"), "conda", None))
    ordered += [(os.path.join(t["path"], "lib64"), "toolkit", None) for t in toolkits]
    ordered += [(d, "system", None) for d in SYSTEM_LIB_DIRS]
    seen, unique = set(), []
    for directory, source, component in ordered:
        real = os.path.realpath(directory)
        if real not in seen and os.path.isdir(real):
            seen.add(real)
            unique.append((directory, source, component))
    return unique


def _pip_component_version(packages, component):
    """The version of the pip package that owns ``nvidia/<component>``: cudnn -> nvidia-cudnn-cu12."""
    if component is None:
        return None, None
    candidates = [f"nvidia-{component}-cu13", f"nvidia-{component}-cu12", f"nvidia-{component}-cu11", f"nvidia-{component}"]
    if component == "cu13":
        return None, None  # the shared CUDA 13 folder holds several packages: versions come from file names
    if component == "cuda_runtime":
        candidates = ["nvidia-cuda-runtime-cu12", "nvidia-cuda-runtime-cu11", "nvidia-cuda-runtime"]
    for name in candidates:
        name = _normalize(name.replace("_", "-"))
        if name in packages:
            return name, packages[name]["version"]
    return None, None


def get_libraries(environ, dirs, toolkits, packages):
    """Every CUDA runtime, cuDNN, cuBLAS, cuFFT, NCCL, NVRTC and TensorRT library file found."""
    libraries = []
    for directory, source, component in _library_dirs(environ, dirs, toolkits):
        entries = _listdir(directory)
        for kind, stem in LIBRARY_STEMS.items():
            names = sorted(e for e in entries if e == stem or e.startswith(stem + "."))
            if not names:
                continue
            # The most specific file name carries the most version (libcudnn.so.9.1.0 over libcudnn.so.9).
            best = max(names, key=lambda n: (n.count("."), n))
            version, version_from = _lib_version_from_name(best, stem), "filename"
            include = os.path.join(os.path.dirname(directory.rstrip("/")), "include")
            header = _header_version(include, kind) if kind in ("cudnn", "cudart") else None
            package, package_version = _pip_component_version(packages, component) if source == "pip" else (None, None)
            if header:
                version, version_from = header, "header"
            elif (package_version and kind in ("cudnn", "nccl", "tensorrt")) or (
                package_version and (version is None or "." not in version)
            ):
                version, version_from = package_version, "package"
            libraries.append(
                {
                    "kind": kind,
                    "path": os.path.join(directory, best),
                    "files": names,
                    "source": source,
                    "version": version,
                    "version_from": version_from if version else None,
                    "package": package,
                }
            )
    return libraries


# --- driver and GPUs: asked in a child process ----------------------------------------------


def _nvidia_signs(environ):
    """Cheap evidence that an NVIDIA driver could answer; without any, no child is started."""
    devices = sorted(e for e in _listdir("/dev") if e.startswith("nvidia"))
    libcuda = [
        d
        for d in [*environ.get("LD_LIBRARY_PATH", "").split(os.pathsep), *SYSTEM_LIB_DIRS]
        if d and (os.path.exists(os.path.join(d, "libcuda.so.1")) or os.path.exists(os.path.join(d, "libcuda.so")))
    ]
    return {
        "dev_nodes": devices,
        "proc_driver": os.path.exists("/proc/driver/nvidia/version"),
        "libcuda_dirs": libcuda,
        "windows": platform.system() == "Windows",
    }


def _nvml_query():
    import ctypes

    nvml = ctypes.CDLL("nvml.dll" if os.name == "nt" else "libnvidia-ml.so.1")
    status = nvml.nvmlInit_v2()
    if status != 0:
        raise RuntimeError(f"nvmlInit failed with code {status} ({NVML_ERRORS.get(status, 'NVML_ERROR')})")
    try:
        buf = ctypes.create_string_buffer(96)
        nvml.nvmlSystemGetDriverVersion(buf, 96)
        driver = buf.value.decode()
        cuda = ctypes.c_int()
        nvml.nvmlSystemGetCudaDriverVersion_v2(ctypes.byref(cuda))
        count = ctypes.c_uint()
        nvml.nvmlDeviceGetCount_v2(ctypes.byref(count))
        gpus = []
        for index in range(count.value):
            handle = ctypes.c_void_p()
            if nvml.nvmlDeviceGetHandleByIndex_v2(index, ctypes.byref(handle)) != 0:
                continue
            nvml.nvmlDeviceGetName(handle, buf, 96)
            name = buf.value.decode()
            major, minor = ctypes.c_int(), ctypes.c_int()
            nvml.nvmlDeviceGetCudaComputeCapability(handle, ctypes.byref(major), ctypes.byref(minor))
            memory = (ctypes.c_ulonglong * 3)()
            nvml.nvmlDeviceGetMemoryInfo(handle, memory)
            nvml.nvmlDeviceGetUUID(handle, buf, 96)
            gpus.append(
                {
                    "index": index,
                    "name": name,
                    "compute_capability": f"{major.value}.{minor.value}",
                    "memory_mib": memory[0] // (1 << 20),
                    "uuid": buf.value.decode(),
                }
            )
        return {"driver": driver, "cuda_driver_version": cuda.value or None, "gpus": gpus, "source": "nvml"}
    finally:
        nvml.nvmlShutdown()


def _libcuda_query():
    import ctypes

    cuda = ctypes.CDLL("nvcuda.dll" if os.name == "nt" else "libcuda.so.1")
    version = ctypes.c_int()
    if cuda.cuDriverGetVersion(ctypes.byref(version)) != 0:
        raise RuntimeError("cuDriverGetVersion failed")
    result = {"driver": None, "cuda_driver_version": version.value, "gpus": [], "source": "libcuda"}
    status = cuda.cuInit(0)
    if status != 0:
        result["init_error"] = status  # e.g. 100 = CUDA_ERROR_NO_DEVICE, 999 = unknown
        return result
    count = ctypes.c_int()
    cuda.cuDeviceGetCount(ctypes.byref(count))
    for index in range(count.value):
        device = ctypes.c_int()
        cuda.cuDeviceGet(ctypes.byref(device), index)
        name = ctypes.create_string_buffer(256)
        cuda.cuDeviceGetName(name, 256, device)
        major, minor = ctypes.c_int(), ctypes.c_int()
        cuda.cuDeviceGetAttribute(ctypes.byref(major), 75, device)  # CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR
        cuda.cuDeviceGetAttribute(ctypes.byref(minor), 76, device)  # ..._MINOR
        memory = ctypes.c_size_t()
        cuda.cuDeviceTotalMem_v2(ctypes.byref(memory), device)
        result["gpus"].append(
            {
                "index": index,
                "name": name.value.decode(),
                "compute_capability": f"{major.value}.{minor.value}",
                "memory_mib": memory.value // (1 << 20),
                "uuid": None,
            }
        )
    return result


def _proc_driver_version():
    try:
        match = re.search(r"Kernel Module\s+(?:for \S+\s+)?(\d+\.\d+(?:\.\d+)?)", _read("/proc/driver/nvidia/version"))
    except OSError:
        return None
    return match.group(1) if match else None


def child_gpu():
    """Runs in the child: NVML first (it knows the driver version), then ``libcuda``."""
    errors = []
    for query in (_nvml_query, _libcuda_query):
        try:
            result = query()
        except Exception as exc:  # noqa: BLE001
            errors.append({"step": query.__name__.strip("_"), "message": f"{type(exc).__name__}: {exc}"})
            continue
        result["driver"] = result["driver"] or _proc_driver_version()
        result["errors"] = errors
        return result
    return {"errors": errors}


def child_libraries(paths):
    """Runs in the child: load each library and ask its version (``cudnnGetVersion`` and friends)."""
    import ctypes

    calls = {"cudnn": "cudnnGetVersion", "cudart": "cudaRuntimeGetVersion", "nccl": "ncclGetVersion", "cublas": "cublasGetVersion_v2"}
    answers = {}
    for kind, path in paths:
        try:
            lib = ctypes.CDLL(path)
            fn = getattr(lib, calls[kind])
            if kind == "cudnn":
                fn.restype = ctypes.c_size_t
                answers[path] = fn()
            else:
                value = ctypes.c_int()
                status = fn(None, ctypes.byref(value)) if kind == "cublas" else fn(ctypes.byref(value))
                answers[path] = value.value if status == 0 else {"status": status}
        except Exception as exc:  # noqa: BLE001
            answers[path] = {"error": f"{type(exc).__name__}: {exc}"}
    return answers


_SOURCE = None  # set by load_into_kernel: a module made from a string has no file to re-run


def _run_child(args, timeout):
    """Run this same file as ``python <probe> --child ...`` and read its JSON."""
    if _SOURCE is not None:
        command = [sys.executable, "-c", _SOURCE, *args]
    else:
        command = [sys.executable, os.path.abspath(__file__), *args]
    completed = subprocess.run(command, capture_output=True, timeout=timeout, text=True, check=False, stdin=subprocess.DEVNULL)
    if completed.returncode != 0:
        raise RuntimeError(f"child exited {completed.returncode}: {completed.stderr.strip()[-300:]}")
    return json.loads(completed.stdout)


def _nvidia_smi(environ):
    """Fallback when neither NVML nor libcuda answered: ask ``nvidia-smi`` (bounded)."""
    import shutil

    exe = shutil.which("nvidia-smi", path=environ.get("PATH"))
    if not exe:
        return None
    fields = "driver_version,name,compute_cap,memory.total,uuid"
    query = subprocess.run(
        [exe, f"--query-gpu={fields}", "--format=csv,noheader,nounits"],
        capture_output=True, text=True, timeout=NVIDIA_SMI_TIMEOUT_S, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    header = subprocess.run([exe], capture_output=True, text=True, timeout=NVIDIA_SMI_TIMEOUT_S, check=False, stdin=subprocess.DEVNULL)
    cuda = re.search(r"CUDA Version:\s*(\d+)\.(\d+)", header.stdout)
    driver = re.search(r"Driver Version:\s*(\d+\.\d+(?:\.\d+)?)", header.stdout)
    gpus = []
    if query.returncode == 0:
        for index, line in enumerate(row for row in query.stdout.splitlines() if row.strip()):
            parts = [p.strip() for p in line.split(",")]
            if len(parts) != 5 or not re.match(r"^\d+\.\d+", parts[0]):
                raise ValueError(f"unexpected nvidia-smi line: {line[:120]!r}")
            memory = int(parts[3]) if parts[3].isdigit() else None
            gpus.append(
                {
                    "index": index,
                    "name": parts[1],
                    "compute_capability": parts[2] if re.match(r"^\d+\.\d+$", parts[2]) else None,
                    "memory_mib": memory,
                    "uuid": parts[4],
                }
            )
            driver_version = parts[0]
    if not gpus and not cuda:
        raise ValueError(f"nvidia-smi gave nothing usable (exit {query.returncode}): {(query.stdout + query.stderr).strip()[:200]!r}")
    return {
        "driver": (gpus and driver_version) or (driver.group(1) if driver else None),
        "cuda_driver_version": int(cuda.group(1)) * 1000 + int(cuda.group(2)) * 10 if cuda else None,
        "gpus": gpus,
        "source": "nvidia-smi",
    }


def get_driver_and_gpus(environ, errors):
    signs = _nvidia_signs(environ)
    answer = None
    if signs["dev_nodes"] or signs["proc_driver"] or signs["libcuda_dirs"] or signs["windows"]:
        answer = errors.guard("gpu-child", _run_child, ["--child", "gpu"], CHILD_TIMEOUT_S)
        if answer:
            errors.extend(answer.pop("errors", []))
            if "source" not in answer:
                answer = None
    if answer is None:
        answer = errors.guard("nvidia-smi", _nvidia_smi, environ)
    answer = answer or {"driver": _proc_driver_version(), "cuda_driver_version": None, "gpus": [], "source": None}
    version = answer.get("cuda_driver_version")
    driver = {
        "version": answer.get("driver"),
        "cuda_version": f"{version // 1000}.{version % 1000 // 10}" if version else None,
        "source": answer.get("source"),
        "init_error": answer.get("init_error"),
    }
    return driver, answer.get("gpus", []), signs


# --- the whole report -------------------------------------------------------------------------


def collect(environ=None, ask_libraries=False):
    """Every fact as one JSON-ready dict. Never raises: failed steps are listed in ``errors``."""
    started = time.perf_counter()
    environ = dict(os.environ if environ is None else environ)
    errors = Errors()
    dirs = site_dirs()
    packages = errors.guard("packages", get_packages, dirs, default=None)
    toolkits = errors.guard("toolkits", get_toolkits, environ, default=[])
    libraries = errors.guard("libraries", get_libraries, environ, dirs, toolkits, packages or {}, default=None)
    compat = errors.guard("compat", get_compat, environ, toolkits, default=[])
    # Which scans ran to the end: a rule that fires on an absence needs its scan.
    scans = {"packages": packages is not None, "libraries": libraries is not None, "gpus": True}
    packages, libraries = packages or {}, libraries or []
    if ask_libraries:
        askable = [(lib["kind"], lib["path"]) for lib in libraries if lib["kind"] in ("cudnn", "cudart", "nccl", "cublas")]
        answers = errors.guard("ask-libraries", _run_child, ["--child", "libraries", json.dumps(askable)], CHILD_TIMEOUT_S * 2, default={})
        for lib in libraries:
            if lib["path"] in answers:
                lib["library_answer"] = answers[lib["path"]]
    driver, gpus, signs = get_driver_and_gpus(environ, errors)
    facts = {
        "schema_version": SCHEMA_VERSION,
        "probe_version": PROBE_VERSION,
        "python": errors.guard("python", get_python, default={}),
        "platform": errors.guard("platform", get_platform, environ, errors, default={}),
        "gpus": gpus,
        "driver": driver,
        "devices": {"dev_nodes": signs["dev_nodes"], "proc_driver": signs["proc_driver"]},
        "cuda": {"toolkits": toolkits, "libraries": libraries, "compat": compat},
        "scans": scans,
        "packages": {name: info["version"] for name, info in sorted(packages.items())},
        "frameworks": get_frameworks(packages, errors),
        "env": {key: environ[key] for key in ENV_KEYS if key in environ},
        "errors": list(errors),
    }
    facts["env"]["PATH_CUDA"] = [p for p in environ.get("PATH", "").split(os.pathsep) if "cuda" in p.lower()]
    facts["timing_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return facts


class Report:
    """A kernel reply: IPython sends ``_repr_json_`` as ``application/json`` in ``user_expressions``."""

    def __init__(self, facts):
        self.facts = facts

    def _repr_json_(self):
        return self.facts

    def __repr__(self):
        return f"<jupyterlab-gpu-compat facts, {len(self.facts.get('errors', []))} failed steps>"


def report(ask_libraries=False):
    return Report(collect(ask_libraries=ask_libraries))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["--child", "gpu"]:
        print(json.dumps(child_gpu()))
    elif argv[:2] == ["--child", "libraries"]:
        print(json.dumps(child_libraries(json.loads(argv[2]))))
    else:
        facts = collect(ask_libraries="--ask-libraries" in argv)
        indent = 2 if "--pretty" in argv else None
        print(json.dumps(facts, indent=indent, sort_keys=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
