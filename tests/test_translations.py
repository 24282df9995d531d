"""Every string a person reads is translated, and the compiled catalogues match their sources."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import tierdesk

PACKAGE = Path(tierdesk.__file__).parent
CATALOGUES = PACKAGE / "locale"


def untranslated(po_file: Path) -> str:
    result = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    # The header entry is the one empty msgid that always counts as "untranslated".
    entries = [block for block in result.stdout.split("\n\n") if 'msgid ""\nmsgstr ""' not in block]
    return "\n\n".join(entries) + fuzzy.stdout


def test_every_string_in_the_code_has_a_chinese_translation(tmp_path):
    copy = tmp_path / "tierdesk"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "TIERDESK_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "tierdesk", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=copy,
        env=env,
        capture_output=True,
        check=True,
    )
    assert untranslated(copy / "locale/zh_Hans/LC_MESSAGES/django.po") == ""


def test_compiled_catalogues_match_their_sources(tmp_path):
    for language in ("zh_Hans", "en"):
        source = CATALOGUES / language / "LC_MESSAGES" / "django.po"
        compiled = tmp_path / f"{language}.mo"
        subprocess.run(["msgfmt", "-o", str(compiled), str(source)], check=True)
        assert compiled.read_bytes() == source.with_suffix(".mo").read_bytes(), language
