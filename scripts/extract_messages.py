"""The translatable strings, one per line: the frontend's (`trans.__('…')`, `trans._n('…', '…', n)`),
the engine's messages (`t('…')`, and `tr('…')` where a translator is at hand) and the output
catalogue's titles and explanations (src/messages/*.json, message ids by data).

Used by the translation test to check that every string has a Simplified Chinese entry in
jupyterlab_gpu_compat/locale/zh_CN/LC_MESSAGES/jupyterlab_gpu_compat.json.
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STRING = r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\""
SINGLE = re.compile(r"trans\.__\(\s*(?:" + STRING + r")")
ENGINE = re.compile(r"(?<![\w.])(?:t|tr)\(\s*(?:" + STRING + r")")
PLURAL = re.compile(r"trans\._n\(\s*(?:" + STRING + r")\s*,\s*(?:" + STRING + r")")


def _text(groups):
    value = next(g for g in groups if g is not None)
    return value.encode().decode("unicode_escape") if "\\" in value else value


def messages(root=ROOT):
    found = {}
    for path in sorted((root / "src").rglob("*.ts*")):
        text = path.read_text(encoding="utf-8")
        for match in SINGLE.finditer(text):
            found[_text(match.groups())] = None
        for match in ENGINE.finditer(text):
            found[_text(match.groups())] = None
        for match in PLURAL.finditer(text):
            found[_text(match.groups()[:2])] = _text(match.groups()[2:])
    for path in sorted((root / "src" / "messages").glob("*.json")):
        for entry in json.loads(path.read_text(encoding="utf-8"))["entries"]:
            found[entry["title"]] = None
            found[entry["why"]] = None
    return found


if __name__ == "__main__":
    for singular, plural in messages().items():
        sys.stdout.write(f"{singular}\n" + (f"  plural: {plural}\n" if plural else ""))
