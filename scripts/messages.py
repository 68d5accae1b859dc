"""Keep the translation catalogues in step with the code.

    python scripts/messages.py           # re-extract every catalogue, then compile them
    python scripts/messages.py --check   # fail when a marked string is missing from a catalogue
    python scripts/messages.py registry  # only some catalogues (app folder names, or project)

Each app with a ``locale`` folder owns its catalogue; the project catalogue
(``hamroh/locale``) covers everything else (core, the shared templates, settings).
Translators then fill the new entries (``polib`` or any PO editor) and run this again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "hamroh"
LANGUAGES = ("tg", "ru", "en")
# The console script, not ``python -m django``: that would put the app folder first on
# sys.path, where modules such as selectors.py shadow the standard library.
DJANGO_ADMIN = str(Path(sys.executable).with_name("django-admin"))
QUIET = subprocess.DEVNULL
IGNORED = ("tests/*", "*/tests/*", "conftest.py", "migrations/*", "*/migrations/*")


def app_folders(package: Path) -> list[Path]:
    return sorted(path.parent for path in package.glob("*/locale"))


def extract(package: Path, only: Sequence[str] = ()) -> None:
    """Run makemessages for the project and for every app that owns a catalogue.

    ``only`` limits the run to some catalogues: app folder names, ``project`` for the
    project's own.
    """
    django_admin = [DJANGO_ADMIN, "makemessages", "--no-obsolete"]
    django_admin += [arg for lang in LANGUAGES for arg in ("-l", lang)]
    ignores = [f"--ignore={pattern}" for pattern in IGNORED]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hamroh.settings"}
    apps = app_folders(package)
    for app in apps:
        if only and app.name not in only:
            continue
        subprocess.run([*django_admin, *ignores], cwd=app, env=env, check=True, stdout=QUIET)
    if only and "project" not in only:
        return
    owned = [f"--ignore={app.name}/*" for app in apps]
    subprocess.run(
        [*django_admin, *ignores, *owned], cwd=package, env=env, check=True, stdout=QUIET
    )


def catalogue_files(package: Path) -> list[Path]:
    folders = [package / "locale", *(app / "locale" for app in app_folders(package))]
    return [folder / lang / "LC_MESSAGES" / "django.po" for folder in folders for lang in LANGUAGES]


def check() -> int:
    """Extract into a copy of the package and list every message the shipped files lack."""
    missing: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "hamroh"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        extract(copy)
        for fresh in catalogue_files(copy):
            shipped = PACKAGE / fresh.relative_to(copy)
            have = (
                {(e.msgctxt, e.msgid) for e in polib.pofile(str(shipped))}
                if shipped.exists()
                else set()
            )
            for entry in polib.pofile(str(fresh)):
                if (entry.msgctxt, entry.msgid) not in have:
                    missing.append(f"{shipped.relative_to(ROOT)}: {entry.msgid!r}")
    for line in missing:
        print(line)
    if missing:
        print(f"{len(missing)} marked strings are missing; run: python scripts/messages.py")
        return 1
    print("every marked string is in its catalogue")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report missing strings")
    parser.add_argument(
        "only", nargs="*", metavar="CATALOGUE", help="app folder names, or project (default: all)"
    )
    args = parser.parse_args()
    if args.check:
        return check()
    extract(PACKAGE, args.only)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hamroh.settings"}
    subprocess.run([DJANGO_ADMIN, "compilemessages"], cwd=PACKAGE, env=env, check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
