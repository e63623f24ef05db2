#!/usr/bin/env python3
"""Reference chunks for src/chunking, made by Unstructured's own chunkers.

Writes, under test/fixtures/chunking/:
  <set>.elements.json            element sets (built below, deterministic) in Unstructured's JSON shape;
                                 "confluence" is partition_html's output for the pages in
                                 test/fixtures/partition/goldens, copied so this set stands alone
  <set>.<options>.golden.json    {"config": <our ChunkingConfig>, "chunks": [...]} for every option set

Chunks are what unstructured-ingest's chunk step writes: elements_from_dicts -> chunk_by_title /
chunk_elements -> to_dict, then ids re-hashed with assign_and_map_hash_ids.

Run with the reference installed (a venv outside the repo):
  python3 -m venv /tmp/chunking-venv && /tmp/chunking-venv/bin/pip install unstructured==0.27.35
  /tmp/chunking-venv/bin/python scripts/goldens/chunking_goldens.py
"""

from __future__ import annotations

import itertools
import json
import uuid
from pathlib import Path

from unstructured.__version__ import __version__ as UNSTRUCTURED_VERSION
from unstructured.chunking.basic import chunk_elements
from unstructured.chunking.title import chunk_by_title
from unstructured.documents.elements import assign_and_map_hash_ids
from unstructured.staging.base import elements_from_dicts

OUT_DIR = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "chunking"
FILENAME = "space-page.html"

WORDS = (
    "the ingest pipeline reads every page of the space and writes elements that downstream "
    "vector stores index for retrieval while operators watch progress and retries happen "
    "quietly when the server asks clients to slow down"
).split()


def sentence(seed: int, n_words: int) -> str:
    """A deterministic pseudo-sentence: words cycled from WORDS starting at `seed`."""
    words = [WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(n_words)]
    return " ".join(words).capitalize() + "."


def paragraph(seed: int, n_sentences: int, words_per: int = 12) -> str:
    return " ".join(sentence(seed + i, words_per) for i in range(n_sentences))


def table(rows: list[list[str]], header: bool = False) -> tuple[str, str]:
    """(text, text_as_html) the way partition_html writes a table; `header` keeps a <thead>."""
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # noqa: E731
    trs = ["<tr>" + "".join(f"<td>{esc(c)}</td>" if c else "<td/>" for c in r) + "</tr>" for r in rows]
    if header:
        head = "<tr>" + "".join(f"<th>{esc(c)}</th>" for c in rows[0]) + "</tr>"
        html = f"<table><thead>{head}</thead><tbody>{''.join(trs[1:])}</tbody></table>"
    else:
        html = f"<table>{''.join(trs)}</table>"
    text = " ".join(c for r in rows for c in r if c)
    return text, html


def el(type_: str, text: str, **metadata) -> dict:
    meta = {"filename": FILENAME, "filetype": "text/html", "languages": ["eng"]}
    meta.update({k: v for k, v in metadata.items() if v is not None})
    return {"type": type_, "element_id": "", "text": text, "metadata": meta}


def with_ids(elements: list[dict]) -> list[dict]:
    """Hash ids like partitioning does, and point `parent` markers at the preceding Title."""
    objs = elements_from_dicts(elements)
    page_seq: dict = {}
    for e in objs:
        page = e.metadata.page_number
        e.id_to_hash(page_seq.get(page, 0))
        page_seq[page] = page_seq.get(page, 0) + 1
    out = []
    last_title = None
    for src, e in zip(elements, objs):
        d = e.to_dict()
        if src["metadata"].get("parent") and last_title:
            d["metadata"]["parent_id"] = last_title
        d["metadata"].pop("parent", None)
        if d["type"] == "Title":
            last_title = d["element_id"]
        out.append(d)
    return out


def narrative_set() -> list[dict]:
    long_with_newlines = "\n".join(paragraph(40 + i, 2) for i in range(6))
    return [
        el("Title", "Release notes", category_depth=0),
        el("NarrativeText", paragraph(1, 2), parent=True,
           emphasized_text_contents=["pipeline"], emphasized_text_tags=["b"]),
        el("NarrativeText", paragraph(3, 1), parent=True,
           link_texts=["the docs"], link_urls=["https://example.test/docs"]),
        el("ListItem", "First item of the list", category_depth=1, parent=True),
        el("ListItem", "Second item, a little longer than the first one", category_depth=1, parent=True),
        el("Title", "Design", category_depth=1, parent=True),
        el("NarrativeText", paragraph(5, 14), parent=True),  # ~1,200 chars, no newline: splits on spaces
        el("UncategorizedText", "v1.2.3", parent=True),
        el("CodeSnippet", "def main():\n    for page in pages:\n        ingest(page)\n\n    return  0",
           parent=True),
        el("NarrativeText", long_with_newlines, parent=True),  # splits on newlines first
        el("Title", "Short section", category_depth=1),
        el("NarrativeText", "Tiny.", parent=True),
        el("Title", "Another short one", category_depth=1),
        el("NarrativeText", "   Whitespace   is\tcollapsed \n inside   chunks.  ", parent=True),
        el("NarrativeText", "   ", parent=True),
        el("Title", "Tail", category_depth=1),
        el("NarrativeText", paragraph(9, 3, 20), parent=True,
           emphasized_text_contents=["ingest", "space"], emphasized_text_tags=["i", "b"],
           link_texts=["home"], link_urls=["https://example.test/"]),
    ]


def tables_set() -> list[dict]:
    small = table([["Name", "Value"], ["alpha", "1"], ["beta", "2"]])
    big = table([["Key", "Description", "Owner"]]
                + [[f"K-{i}", sentence(i, 6), f"team {i % 4}"] for i in range(40)])
    escaped = table([["a & b", "<tag>", 'say "hi"', "it's"], ["x > y", "", "é 😀", "z"]])
    huge_cell = table([["id", "notes"], ["1", paragraph(20, 12)], ["2", "short"]])
    headed = table([["Column A", "Column B"]] + [[f"a{i} " + sentence(i, 5), f"b{i}"] for i in range(30)],
                   header=True)
    no_html_text = " ".join(sentence(i, 8) for i in range(25))
    return [
        el("Title", "Tables", category_depth=0),
        el("NarrativeText", "A small table follows.", parent=True),
        el("Table", small[0], text_as_html=small[1], parent=True),
        el("NarrativeText", "And a big one.", parent=True),
        el("Table", big[0], text_as_html=big[1], parent=True),
        el("Table", escaped[0], text_as_html=escaped[1], parent=True),
        el("Table", huge_cell[0], text_as_html=huge_cell[1], parent=True),
        el("Title", "Headed", category_depth=0),
        el("Table", headed[0], text_as_html=headed[1], parent=True),
        el("Table", no_html_text, parent=True),
        el("Table", "   ", text_as_html="<table><tr><td/></tr></table>", parent=True),
        el("NarrativeText", "Closing words after the tables.", parent=True),
    ]


def multipage_set() -> list[dict]:
    return [
        el("Title", "Page one title", page_number=1),
        el("NarrativeText", paragraph(2, 2), page_number=1, parent=True),
        el("NarrativeText", paragraph(4, 1), page_number=2, parent=True),
        el("ListItem", "An item on page two", page_number=2, parent=True),
        el("NarrativeText", paragraph(6, 8), page_number=2, parent=True),
        el("PageBreak", "", page_number=2),
        el("NarrativeText", "Page three opener.", page_number=3),
        el("Title", "Page three title", page_number=3),
        el("NarrativeText", paragraph(8, 2), page_number=3, parent=True),
        el("NarrativeText", "Back on page two somehow.", page_number=2),
        el("NarrativeText", "No page number here."),
        el("NarrativeText", paragraph(11, 1), page_number=4),
    ]


def unicode_set() -> list[dict]:
    emoji_run = "😀🎉🚀✨" * 150  # 600 code points, 1,200 UTF-16 units, no separators
    cjk = "数据摄取管道读取空间中的每一页并写入元素。" * 30
    return [
        el("Title", "Ünïcödé ✓ 🚀", languages=["eng", "deu"]),
        el("NarrativeText", "Emoji count as one character each 😀😀😀 " * 12, parent=True),
        el("NarrativeText", emoji_run, parent=True),
        el("NarrativeText", cjk, languages=["zho"], parent=True),
        el("NarrativeText", "Combining marks: e\u0301 a\u0308 n\u0303 " * 20, parent=True),
        el("NarrativeText", "No\u00a0break\u00a0spaces\u2003and\u2009thin ones " * 15, parent=True),
        el("ListItem", "Flags 🇫🇷🇩🇪 and families 👨\u200d👩\u200d👧", parent=True),
        el("NarrativeText", "Zero\u200bwidth\u200bspace and BOM\ufeffinside " * 18, parent=True),
    ]


def mixed_set() -> list[dict]:
    ds = {"url": "https://wiki.example.test/pages/1", "version": "3",
          "record_locator": {"space_id": "ENG", "document_id": "1"},
          "date_created": "2024-01-01T00:00:00Z", "date_modified": "2024-02-01T00:00:00Z"}
    return [
        el("Header", "Company header", data_source=ds),
        el("Title", "Mixed", data_source=ds, category_depth=0),
        el("Image", "Architecture diagram", parent=True, data_source=ds,
           image_url="https://example.test/a.png", image_mime_type="image/png"),
        el("Image", "", parent=True, data_source=ds, image_url="https://example.test/b.png"),
        el("NarrativeText", paragraph(12, 3), parent=True, data_source=ds),
        el("Address", "1 Main Street, Springfield, IL 62701", parent=True, data_source=ds),
        el("EmailAddress", "ops@example.test", parent=True, data_source=ds),
        el("FigureCaption", "Figure 1: the pipeline", parent=True, data_source=ds),
        el("Formula", "E = mc^2", parent=True, data_source=ds),
        el("Title", "Second", data_source=ds),
        el("NarrativeText", paragraph(14, 2), parent=True, data_source=ds, languages=["fra"]),
        el("Footer", "Company footer", data_source=ds, languages=None),
        el("PageNumber", "7", data_source=ds),
    ]


def spans_set() -> list[dict]:
    colspans = "".join(f'<tr><td colspan="2">K-{i} {sentence(i, 6)}</td><td>v{i}</td></tr>' for i in range(20))
    rowspans = "".join(
        f'<tr><td rowspan="2">G{i}</td><td>{sentence(i, 6)}</td></tr><tr><td>{sentence(i + 1, 5)}</td></tr>'
        for i in range(12)
    )
    return [
        el("Table", " ".join(f"K-{i} {sentence(i, 6)} v{i}" for i in range(20)),
           text_as_html=f"<table>{colspans}</table>"),
        el("Table", " ".join(f"G{i} {sentence(i, 6)} {sentence(i + 1, 5)}" for i in range(12)),
           text_as_html=f"<table>{rowspans}</table>"),
    ]


def confluence_set() -> list[dict]:
    """Real partition_html output for the Confluence-like pages (the partition goldens), concatenated."""
    pages = sorted((OUT_DIR.parent / "partition" / "goldens").glob("[0-9]*.json"))
    return [e for page in pages for e in json.loads(page.read_text(encoding="utf-8"))]


SETS = {
    "narrative": narrative_set,
    "tables": tables_set,
    "multipage": multipage_set,
    "unicode": unicode_set,
    "mixed": mixed_set,
    "spans": spans_set,
    "confluence": confluence_set,
}

# -- our ChunkingConfig (camelCase) for each option set; omitted keys take the defaults --
OPTION_SETS: dict[str, dict] = {
    "title-default": {"strategy": "by_title"},
    "basic-default": {"strategy": "basic"},
    "title-soft": {"strategy": "by_title", "maxCharacters": 300, "newAfterNChars": 150,
                   "combineTextUnderNChars": 120},
    "title-nocombine": {"strategy": "by_title", "newAfterNChars": 0, "combineTextUnderNChars": 0},
    "basic-overlap": {"strategy": "basic", "maxCharacters": 220, "overlap": 40},
    "title-overlap-all": {"strategy": "by_title", "maxCharacters": 260, "overlap": 30, "overlapAll": True},
    "title-pages": {"strategy": "by_title", "multipageSections": False, "maxCharacters": 400},
    "basic-no-orig": {"strategy": "basic", "includeOrigElements": False, "maxCharacters": 350},
    "basic-small": {"strategy": "basic", "maxCharacters": 90},
    "basic-tiny": {"strategy": "basic", "maxCharacters": 40, "overlap": 5},
}

PY_NAMES = {
    "maxCharacters": "max_characters",
    "newAfterNChars": "new_after_n_chars",
    "combineTextUnderNChars": "combine_text_under_n_chars",
    "overlap": "overlap",
    "overlapAll": "overlap_all",
    "includeOrigElements": "include_orig_elements",
    "multipageSections": "multipage_sections",
}


def run_chunker(element_dicts: list[dict], config: dict) -> list[dict]:
    # -- TableChunk table_id is a random uuid4; number them instead so regenerating changes nothing --
    counter = itertools.count()
    uuid.uuid4 = lambda: uuid.UUID(int=next(counter))
    kwargs = {PY_NAMES[k]: v for k, v in config.items() if k != "strategy"}
    chunker = chunk_by_title if config["strategy"] == "by_title" else chunk_elements
    chunks = chunker(elements_from_dicts(element_dicts), **kwargs)
    return [c.to_dict() for c in assign_and_map_hash_ids(chunks)]


def write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for set_name, build in SETS.items():
        # -- the Confluence set already has the partitioner's own ids --
        elements = build() if set_name == "confluence" else with_ids(build())
        write_json(OUT_DIR / f"{set_name}.elements.json", elements)
        for opt_name, config in OPTION_SETS.items():
            chunks = run_chunker(elements, config)
            golden = {"unstructured": UNSTRUCTURED_VERSION, "config": config, "chunks": chunks}
            write_json(OUT_DIR / f"{set_name}.{opt_name}.golden.json", golden)
    print(f"wrote {len(SETS)} element sets x {len(OPTION_SETS)} option sets to {OUT_DIR}")


if __name__ == "__main__":
    main()
