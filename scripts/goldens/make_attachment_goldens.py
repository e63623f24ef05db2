"""Reference output of Python Unstructured for the attachment corpus (make_attachment_corpus.py).

Each file of test/fixtures/partition/attachments/ is partitioned with `unstructured.partition.auto.partition`
and its defaults, as unstructured-ingest's local partitioner calls it (for a PDF with a text layer the "auto"
strategy is "fast": pdfminer, no OCR, no layout model), and written to
test/fixtures/partition/attachment-goldens/<file>.json. The machine-specific metadata (file_directory,
last_modified) is left out. test/unit/partition-attachment-goldens.test.ts compares our partitioners with these.

Setup (pinned versions: scripts/goldens/requirements-attachments.txt):
    python3 -m venv /tmp/ustr/venv
    /tmp/ustr/venv/bin/pip install -r scripts/goldens/requirements-attachments.txt
    /tmp/ustr/venv/bin/pip install --no-deps unstructured-inference==1.6.14
    /tmp/ustr/venv/bin/python scripts/goldens/make_attachment_goldens.py
unstructured-inference goes in without its dependencies: partition_pdf imports it, but the "fast" strategy
never runs its layout models, so torch and transformers are not needed.
"""

import json
import sys
from importlib.metadata import version
from pathlib import Path

import offline_unstructured  # noqa: F401  (first: it sets Unstructured up to run offline)
from unstructured.partition.auto import partition

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "test" / "fixtures" / "partition"
MACHINE_SPECIFIC = ("file_directory", "last_modified")


def golden(path: Path) -> list[dict]:
    dicts = [e.to_dict() for e in partition(filename=str(path))]
    for d in dicts:
        for key in MACHINE_SPECIFIC:
            d["metadata"].pop(key, None)
    return dicts


def main() -> int:
    out_dir = FIXTURES / "attachment-goldens"
    out_dir.mkdir(exist_ok=True)
    for path in sorted((FIXTURES / "attachments").iterdir()):
        dicts = golden(path)
        (out_dir / (path.name + ".json")).write_text(json.dumps(dicts, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{path.name}: {len(dicts)} elements")
    packages = ["unstructured", "pdfminer.six", "python-docx", "openpyxl", "python-pptx", "pandas", "markdown", "spacy", "langdetect"]
    meta = {name: version(name) for name in packages} | {"python": sys.version.split()[0]}
    (out_dir / "_meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
