"""Small real attachment files for the partitionFile tests (test/fixtures/partition/files/).

Made with the libraries Office-style files usually come from, so the tests read files shaped like
users' attachments rather than hand-made zips. Setup:
    /tmp/ustr/venv/bin/pip install python-docx python-pptx openpyxl fpdf2
    /tmp/ustr/venv/bin/python scripts/goldens/make_attachment_fixtures.py
"""

import base64
from pathlib import Path

import docx
import openpyxl
from fpdf import FPDF
from pptx import Presentation
from pptx.util import Inches

OUT = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "partition" / "files"
DATE = (2024, 1, 2, 3, 4, 5)


def make_docx() -> None:
    d = docx.Document()
    d.core_properties.created = d.core_properties.modified = __import__("datetime").datetime(*DATE)
    d.add_heading("Disaster recovery runbook", level=1)
    d.add_paragraph("This runbook describes how the team restores the primary database from backups.")
    d.add_heading("Steps", level=2)
    for item in ("Stop the application servers", "Restore the latest snapshot", "Start the servers again"):
        d.add_paragraph(item, style="List Bullet")
    p = d.add_paragraph("The restore usually takes ")
    p.add_run("twenty minutes").bold = True
    p.add_run(".")
    table = d.add_table(rows=2, cols=2)
    for r, row in enumerate((("System", "RPO"), ("orders", "15 min"))):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.save(OUT / "runbook.docx")


def make_xlsx() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Latency"
    for row in (("Service", "p50 ms", "p99 ms"), ("api", 12, 180), ("search", 35, 420)):
        ws.append(row)
    ws2 = wb.create_sheet("Owners")
    for row in (("Service", "Team"), ("api", "Platform"), ("search", "Discovery")):
        ws2.append(row)
    wb.properties.created = wb.properties.modified = __import__("datetime").datetime(*DATE)
    wb.save(OUT / "metrics.xlsx")


def make_pptx() -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = "Quarterly platform review"
    slide.placeholders[1].text = "Presented by the platform team"
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Highlights"
    body = slide.placeholders[1].text_frame
    body.text = "Deploys are twice as fast as last quarter"
    body.add_paragraph().text = "Incident count dropped by a third"
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Budget"
    shape = slide.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1.5))
    for r, row in enumerate((("Item", "Cost"), ("Compute", "40k"))):
        for c, value in enumerate(row):
            shape.table.cell(r, c).text = value
    prs.core_properties.created = prs.core_properties.modified = __import__("datetime").datetime(*DATE)
    prs.save(OUT / "deck.pptx")


def make_pdf() -> None:
    pdf = FPDF()
    pdf.set_creation_date(__import__("datetime").datetime(*DATE))
    pdf.set_font("helvetica", size=12)
    pages = (
        ("Annual security review", "The review covered access control, logging and incident response for all production systems."),
        ("Findings", "Two findings were rated medium. Both were fixed before the end of the quarter."),
    )
    for heading, body in pages:
        pdf.add_page()
        pdf.set_font("helvetica", "B", 16)
        pdf.cell(0, 10, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 6, body)
    pdf.output(str(OUT / "report.pdf"))


def make_scanned_pdf() -> None:
    # A page with only a drawing stands in for a scan: there is no text layer to read.
    pdf = FPDF()
    pdf.set_creation_date(__import__("datetime").datetime(*DATE))
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(OUT / "scanned.pdf"))


def make_text_files() -> None:
    (OUT / "inventory.csv").write_text("host,role,zone\ndb-1,primary,eu-west-1a\ndb-2,replica,eu-west-1b\n")
    (OUT / "notes.txt").write_text(
        "Maintenance notes\n\nThe storage array was replaced on Saturday and the data was copied overnight.\n\n"
        "- Check the replication lag\n- Remove the old array from monitoring\n"
    )
    (OUT / "guide.md").write_text(
        "# Local setup\n\nClone the repository and run the bootstrap script.\n\n## Requirements\n\n"
        "- Node 20\n- Docker\n\n```bash\n./bootstrap.sh --dev\n```\n"
    )
    (OUT / "page.html").write_text("<html><body><h1>Exported page</h1><p>This page was exported as HTML.</p></body></html>")
    # A 1x1 PNG.
    (OUT / "diagram.png").write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="))
    (OUT / "archive.bin").write_bytes(bytes(range(64)))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    make_docx()
    make_xlsx()
    make_pptx()
    make_pdf()
    make_scanned_pdf()
    make_text_files()
    for f in sorted(OUT.iterdir()):
        print(f.name, f.stat().st_size)
