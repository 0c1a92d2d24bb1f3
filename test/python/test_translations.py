"""Simplified Chinese: every string of the interface and the engine is translated with the same
placeholders, and JupyterLab's server finds the file."""

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from extract_messages import messages  # noqa: E402

ZH_CN = ROOT / "jupyterlab_gpu_compat" / "locale" / "zh_CN" / "LC_MESSAGES" / "jupyterlab_gpu_compat.json"


def placeholders(text):
    return sorted(re.findall(r"%\d", text))


def test_every_string_has_a_chinese_translation_with_the_same_placeholders():
    catalog = json.loads(ZH_CN.read_text(encoding="utf-8"))
    assert catalog[""]["domain"] == "jupyterlab_gpu_compat"
    # The frontend's Gettext matches this against its locale, written with a hyphen ("zh_CN" is
    # served but never used: the browser test caught that).
    assert catalog[""]["language"] == "zh-CN"
    found = messages()
    assert len(found) > 40
    missing = [m for m in found if m not in catalog]
    assert missing == []
    for msgid, plural in found.items():
        # JupyterLab's Gettext takes an entry of one string as singular only and one of two or
        # more as plural only; with nplurals=1 a plural is [form, ""], as in its language packs.
        if plural is None:
            (translation,) = catalog[msgid]
        else:
            translation, marker = catalog[msgid]
            assert marker == "", msgid
        assert placeholders(translation) == placeholders(msgid), msgid
        # Only names and codes ("GPU", "Python %1", "%1 (CUDA %2)") may read the same.
        words = re.findall(r"[A-Za-z]+", msgid)
        assert translation != msgid or len(words) <= 1 or not any(w.islower() for w in words), msgid
    stale = [m for m in catalog if m and m not in found]
    assert stale == []


def test_jupyterlab_server_loads_the_catalog_through_the_entry_point():
    translation_utils = pytest.importorskip("jupyterlab_server.translation_utils")
    data, message = translation_utils.get_installed_packages_locale("zh_CN")
    assert "jupyterlab_gpu_compat" in data, message
    assert data["jupyterlab_gpu_compat"]["Check again"] == ["重新检查"]
