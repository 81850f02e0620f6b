"""Every vocabulary error names the file and the line, and the same ones on every run; a
corpus file too large to parse is refused before it is read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import CorpusFileError, VocabularyError
from loaders.corpus import read_document_text
from loaders.vocabulary import read_vocabularies

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def vocab(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "data" / "vocab", tmp_path / "vocab")
    return tmp_path / "vocab"


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in ``path`` with ``new``; the 1-based line it was on."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def read_error(vocab: Path) -> VocabularyError:
    with pytest.raises(VocabularyError) as e:
        read_vocabularies(vocab)
    return e.value


def give_the_office_the_governments_names(vocab: Path) -> int:
    """The General Office's entry also claims 省政府, a name of the provincial government."""
    return edit(
        vocab / "agencies.toml",
        'aliases = ["广东省人民政府办公厅"',
        'aliases = ["省政府", "广东省政府", "广东省人民政府办公厅"',
    )


def test_an_alias_clash_names_the_file_the_line_and_both_agencies(vocab: Path) -> None:
    line = give_the_office_the_governments_names(vocab)
    e = read_error(vocab)
    assert e.path == vocab / "agencies.toml"
    assert e.line == line
    assert str(e).startswith(f"{vocab / 'agencies.toml'}:{line}: ")
    assert "'guangdong-provincial-government'" in str(e)
    assert "'gd-government-general-office'" in str(e)
    assert "'省政府'" in str(e)


def test_an_alias_clash_is_reported_the_same_on_every_run(vocab: Path) -> None:
    give_the_office_the_governments_names(vocab)
    script = (
        "import sys; from pathlib import Path\n"
        "from loaders.vocabulary import read_vocabularies\n"
        "from loaders.lexicon import Lexicon\n"
        "try:\n    Lexicon(read_vocabularies(Path(sys.argv[1])))\n"
        "except Exception as e:\n    print(e)\n"
    )
    messages = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", script, str(vocab)],
            capture_output=True, text=True, env=env, cwd=REPO, check=True,
        )  # fmt: skip
        messages.add(run.stdout.strip())
    assert len(messages) == 1
    assert "both claim the name" in messages.pop()


def test_an_invalid_entry_names_its_line(vocab: Path) -> None:
    line = edit(vocab / "agencies.toml", 'kind = "government"', 'kind = "galactic-empire"')
    e = read_error(vocab)
    assert e.path == vocab / "agencies.toml"
    assert e.line is not None
    assert e.line <= line  # the entry's header, above its bad field
    header = (vocab / "agencies.toml").read_text(encoding="utf-8").splitlines()[e.line - 1]
    assert header.strip() == "[[agency]]"


def test_a_repeated_id_names_the_second_entry(vocab: Path) -> None:
    text = (vocab / "regions.toml").read_text(encoding="utf-8")
    first_id = next(x for x in text.splitlines() if x.startswith("id = "))
    entry = "\n[[place]]\n" + first_id + '\nen = "Again"\nname = "又"\nname_hant = "又"\n'
    (vocab / "regions.toml").write_text(text + entry + 'kind = "province"\n', encoding="utf-8")
    e = read_error(vocab)
    assert "appears twice" in str(e)
    assert e.line == len(text.splitlines()) + 2


def test_an_unknown_parent_names_the_line_of_the_reference(vocab: Path) -> None:
    line = edit(
        vocab / "agencies.toml",
        'parent = "guangdong-provincial-government"',
        'parent = "no-such-body"',
    )
    e = read_error(vocab)
    assert "unknown parent 'no-such-body'" in str(e)
    assert e.line == line


def test_malformed_toml_names_its_line(vocab: Path) -> None:
    line = edit(vocab / "technologies.toml", "[[concept]]", "[[concept]\nthis is not toml")
    e = read_error(vocab)
    assert e.path == vocab / "technologies.toml"
    assert e.line in (line, line + 1)
    assert "(at line" not in str(e)  # said once, in the location


def test_a_corpus_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # 50 MiB, sparse: nothing is written or read
    with pytest.raises(CorpusFileError) as e:
        read_document_text(big)
    assert e.value.path == big
    assert "50.0 MiB" in str(e.value)
    assert "at most 8 MiB" in str(e.value)
