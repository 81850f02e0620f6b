"""Bad input: a clear error naming the file and line, and nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from core.errors import CorpusFileError, ManifestError, StructureError
from core.settings import Settings
from loaders.corpus import load_corpus
from policykg.cli import _register, app

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A writable copy of the project's corpus folder and vocabularies."""
    shutil.copytree(REPO / "data" / "corpus", tmp_path / "corpus")
    shutil.copytree(REPO / "data" / "vocab", tmp_path / "vocab")
    return tmp_path


def load(root: Path) -> None:
    load_corpus(root / "corpus" / "manifest.toml", root / "vocab")


def test_an_empty_file_is_named(corpus_dir: Path) -> None:
    target = corpus_dir / "corpus" / "gd-2025-digital-guangdong-workplan.txt"
    target.write_bytes(b"\n\n")
    with pytest.raises(CorpusFileError, match="file is empty") as e:
        load(corpus_dir)
    assert e.value.path == target


@pytest.mark.parametrize(("encoding", "looks_like"), [("gb18030", "GB"), ("big5", "BIG5")])
def test_a_non_utf8_file_names_the_line_and_the_encoding_it_looks_like(
    corpus_dir: Path, encoding: str, looks_like: str
) -> None:
    source = "gd-2021-opinion-digital-development.txt"
    target = corpus_dir / "corpus" / source
    text = (REPO / "data" / "corpus" / source).read_text(encoding="utf-8")
    if encoding == "big5":
        # Big5 has no Simplified forms: use the Traditional work plan's text instead.
        text = (REPO / "data" / "corpus" / "gd-2025-digital-guangdong-workplan.txt").read_text(
            encoding="utf-8"
        )
    target.write_bytes(text.encode(encoding, errors="replace"))
    with pytest.raises(CorpusFileError, match="not valid UTF-8") as e:
        load(corpus_dir)
    assert e.value.path == target
    assert e.value.line is not None
    assert e.value.line >= 1
    assert looks_like in str(e.value).upper()


def test_a_document_with_no_recognisable_numbering(corpus_dir: Path) -> None:
    target = corpus_dir / "corpus" / "gd-2021-opinion-digital-development.txt"
    target.write_text("一段没有任何编号的文字。\n", encoding="utf-8")
    with pytest.raises(StructureError, match="no part heading") as e:
        load(corpus_dir)
    assert e.value.path == target


def test_duplicate_item_numbers_name_file_and_line(corpus_dir: Path) -> None:
    target = corpus_dir / "corpus" / "gd-2025-digital-guangdong-workplan.txt"
    text = target.read_text(encoding="utf-8").replace("4.培育壯大數據產業", "3.培育壯大數據產業")
    target.write_text(text, encoding="utf-8")
    with pytest.raises(StructureError, match="appears twice") as e:
        load(corpus_dir)
    assert e.value.path == target
    assert e.value.line == 11
    assert str(e.value).startswith(f"{target}:11: ")


def test_a_manifest_entry_pointing_at_a_missing_file(corpus_dir: Path) -> None:
    manifest = corpus_dir / "corpus" / "manifest.toml"
    (corpus_dir / "corpus" / "gd-2021-opinion-digital-development.txt").unlink()
    with pytest.raises(ManifestError, match="does not exist") as e:
        load(corpus_dir)
    assert e.value.path == manifest
    assert e.value.line is not None
    line = manifest.read_text(encoding="utf-8").splitlines()[e.value.line - 1]
    assert "gd-2021-opinion-digital-development.txt" in line


def test_a_malformed_manifest_entry_names_the_entry(corpus_dir: Path) -> None:
    manifest = corpus_dir / "corpus" / "manifest.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('item_kind = "task"', 'item_kind = "chore"'),
        encoding="utf-8",
    )
    with pytest.raises(ManifestError, match="document 'gd2025': item_kind"):
        load(corpus_dir)


def test_a_failed_parse_writes_nothing(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (corpus_dir / "corpus" / "gd-2021-opinion-digital-development.txt").write_bytes(b"")
    monkeypatch.setenv("POLICYKG_DATA_DIR", str(corpus_dir))
    out = corpus_dir / "records.json"
    _register()
    result = CliRunner().invoke(app, ["parse", "--out", str(out)])
    assert result.exit_code == 1
    assert "file is empty" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert not list(corpus_dir.glob(".records.json*"))
    assert Settings(data_dir=corpus_dir).corpus_manifest.exists()
