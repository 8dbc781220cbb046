"""README.md and docs/ stand alone: every relative link resolves inside the repository."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]

# [text](target "title") and ![alt](target); <target> form allowed.
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)
# What a clone of the repository does not have: the design notes it was built from.
OUTSIDE = re.compile(r"\.\./shared|/work/shared|\bDESIGN\.md\b|\bSTYLE\.md\b")


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def links_in(text: str) -> list[str]:
    """Link targets outside code blocks and code spans (those are examples, not links)."""
    prose = INLINE_CODE.sub("", FENCE.sub("", text))
    return INLINE_LINK.findall(prose) + REFERENCE_DEFINITION.findall(prose)


def heading_anchors(text: str) -> set[str]:
    """The anchors GitHub gives the headings: lower case, punctuation dropped, spaces to
    hyphens, repeats numbered -1, -2, ..."""
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for title in HEADING.findall(FENCE.sub("", text)):
        title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)  # a link keeps its text
        slug = re.sub(r"[^\w\- ]", "", title.replace("`", "").lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def link_problems(path: Path) -> list[str]:
    text = path.read_text()
    where = path.relative_to(ROOT)
    problems = [
        f"{where}:{text.count(chr(10), 0, match.start()) + 1}: points outside the repository "
        f"({match.group(0)})"
        for match in OUTSIDE.finditer(text)
    ]
    for target in links_in(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        file_part = unquote(file_part)
        if file_part.startswith("/"):
            problems.append(f"{where}: {target} is absolute; link relative to the file")
            continue
        resolved = (path.parent / file_part).resolve() if file_part else path
        if not resolved.is_relative_to(ROOT):
            problems.append(f"{where}: {target} leaves the repository")
        elif not resolved.exists():
            problems.append(f"{where}: {target} does not exist")
        elif (
            anchor
            and resolved.suffix == ".md"
            and anchor not in heading_anchors(resolved.read_text())
        ):
            problems.append(f"{where}: {target} names no heading of {resolved.name}")
    return problems


@pytest.mark.parametrize("path", markdown_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_link_resolves_inside_the_repository(path):
    assert link_problems(path) == []


def test_the_domain_docs_exist_and_the_readme_links_each_of_them():
    readme_links = set(links_in((ROOT / "README.md").read_text()))

    for name in [
        "architecture",
        "api",
        "accounts",
        "companies",
        "verification",
        "pricing",
        "bookings",
        "operations",
    ]:
        assert (ROOT / "docs" / f"{name}.md").is_file()
        assert f"docs/{name}.md" in readme_links


def test_the_checker_catches_broken_links_anchors_and_outside_references(tmp_path, monkeypatch):
    # Given a repository with one good document and one with every kind of problem
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "good.md").write_text("# Good page\n\n## Lock order\n\ntext\n")
    bad = tmp_path / "README.md"
    bad.write_text(
        "See [good](docs/good.md#lock-order) and ![img](docs/good.md).\n"
        "The design is in `../shared/DESIGN.md`.\n"
        "[missing](docs/missing.md), [anchor](docs/good.md#nowhere), [up](../../etc/passwd),\n"
        "[abs](/docs/good.md), [web](https://example.com/x.md).\n"
        "```\n[in a fence](docs/also-missing.md)\n```\n"
    )

    # When
    problems = link_problems(bad)

    # Then exactly the four bad links and the outside reference are reported
    assert problems == [
        "README.md:2: points outside the repository (../shared)",
        "README.md:2: points outside the repository (DESIGN.md)",
        "README.md: docs/missing.md does not exist",
        "README.md: docs/good.md#nowhere names no heading of good.md",
        "README.md: ../../etc/passwd leaves the repository",
        "README.md: /docs/good.md is absolute; link relative to the file",
    ]


def test_heading_anchors_follow_githubs_rules():
    text = (
        "# Staff: password (+ authenticator) for the API\n## `make run` starts\n## Demo\n## Demo\n"
    )

    assert heading_anchors(text) == {
        "staff-password--authenticator-for-the-api",
        "make-run-starts",
        "demo",
        "demo-1",
    }
