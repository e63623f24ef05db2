"""A corpus of attachments shaped like the ones Confluence users attach, for the attachment goldens.

Writes test/fixtures/partition/attachments/: PDFs (headings, bulleted and numbered lists, a table, page
footers), DOCX (Word styles, lists, tables, emphasis, a page header), XLSX (several sheets, titled tables,
notes under a table), PPTX (title slides, bullets, tables), CSV (comma, semicolon, quoted fields) and
Markdown (headings, lists, code, tables). make_attachment_goldens.py then partitions them with Python
Unstructured. The files are committed: tests never need Python.

Setup (pinned versions: scripts/goldens/requirements-attachments.txt):
    python3 -m venv /tmp/ustr/venv
    /tmp/ustr/venv/bin/pip install -r scripts/goldens/requirements-attachments.txt
    /tmp/ustr/venv/bin/python scripts/goldens/make_attachment_corpus.py
The PDFs use DejaVu Sans (Debian's fonts-dejavu-core) for the bullet glyph the core PDF fonts lack. A new run
writes the same PDFs, CSV and Markdown byte for byte; the Office files differ only in their zip entries' times.
"""

import csv
import datetime
from pathlib import Path

import docx
import openpyxl
from fpdf import FPDF
from pptx import Presentation
from pptx.util import Inches

OUT = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "partition" / "attachments"
DATE = datetime.datetime(2024, 3, 4, 5, 6, 7)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

# -- PDF ------------------------------------------------------------------------------------------
# A document is a list of blocks: ("h1"|"h2"|"p", text), ("ul"|"ol", [items]), ("table", rows), ("page",).


class Pdf(FPDF):
    def __init__(self, footer_text: str | None):
        super().__init__()
        self.footer_text = footer_text
        self.set_creation_date(DATE)
        self.add_font("dejavu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("dejavu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(20, 25, 20)

    def footer(self) -> None:
        if self.footer_text:
            self.set_y(-12)
            self.set_font("dejavu", size=8)
            self.cell(0, 5, self.footer_text.format(page=self.page_no()), align="C")


def write_pdf(name: str, blocks: list, footer: str | None = None) -> None:
    pdf = Pdf(footer)
    pdf.add_page()
    for block in blocks:
        kind = block[0]
        if kind == "page":
            pdf.add_page()
        elif kind in ("h1", "h2"):
            pdf.ln(3)
            pdf.set_font("dejavu", "B", 18 if kind == "h1" else 14)
            pdf.multi_cell(0, 9, block[1], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif kind == "p":
            pdf.set_font("dejavu", size=11)
            pdf.multi_cell(0, 6, block[1], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        elif kind in ("ul", "ol"):
            pdf.set_font("dejavu", size=11)
            for n, item in enumerate(block[1], start=1):
                marker = "\u2022" if kind == "ul" else f"{n}."
                pdf.set_x(26)
                pdf.multi_cell(0, 6, f"{marker} {item}", new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
            pdf.ln(3)
        elif kind == "table":
            pdf.set_font("dejavu", size=10)
            with pdf.table(first_row_as_headings=False) as table:
                for row in block[1]:
                    cells = table.row()
                    for value in row:
                        cells.cell(value)
            pdf.ln(5)
    pdf.output(str(OUT / name))


def make_pdfs() -> None:
    write_pdf(
        "access-policy.pdf",
        [
            ("h1", "Production access policy"),
            ("p", "This policy explains who may access production systems and how that access is granted, reviewed and revoked."),
            ("h2", "Who may request access"),
            ("p", "Engineers on call and the database administrators may request standing access. Everyone else requests access for a single task."),
            ("ul", ["Access is granted for at most eight hours", "Every session is recorded and kept for a year", "Shared accounts are not allowed"]),
            ("h2", "How to request access"),
            ("ol", ["Open a ticket in the access queue", "Name the system and the reason", "Wait for a second engineer to approve it"]),
            ("p", "Requests without a reason are closed without review."),
        ],
    )
    write_pdf(
        "quarterly-report.pdf",
        [
            ("h1", "Quarterly operations report"),
            ("p", "The platform served more traffic than in any previous quarter while the error budget stayed intact."),
            ("h2", "Availability by service"),
            ("table", [("Service", "Target", "Achieved"), ("Checkout", "99.95%", "99.97%"), ("Search", "99.9%", "99.92%"), ("Accounts", "99.95%", "99.91%")]),
            ("p", "Accounts missed its target after a certificate expired on a Sunday morning."),
            ("h2", "Next quarter"),
            ("ul", ["Automate certificate renewal everywhere", "Move search to the new cluster", "Retire the legacy queue"]),
        ],
    )
    write_pdf(
        "onboarding-guide.pdf",
        [
            ("h1", "Onboarding guide for new engineers"),
            ("p", "Welcome to the team. This guide walks you through your first two weeks and the people who can help you."),
            ("h2", "Your first week"),
            ("ul", ["Set up your laptop with the bootstrap script", "Read the architecture overview", "Pair with your buddy on a small fix"]),
            ("page",),
            ("h2", "Your second week"),
            ("p", "In the second week you take your first ticket from the backlog and ship it to production with help from your buddy."),
            ("ol", ["Pick a ticket labelled good first issue", "Write the change and its tests", "Ask two reviewers for approval"]),
            ("h2", "Contacts"),
            ("p", "Questions about payroll go to people-ops@example.com and questions about equipment go to the service desk."),
        ],
        footer="Onboarding guide \u00b7 page {page}",
    )
    write_pdf(
        "incident-postmortem.pdf",
        [
            ("h1", "Postmortem: checkout outage on 12 February"),
            ("h2", "Summary"),
            ("p", "Checkout was unavailable for 47 minutes because a configuration change removed the database connection limit."),
            ("h2", "Timeline"),
            ("table", [("Time", "Event"), ("09:02", "Configuration change deployed"), ("09:10", "Error rate alert fired"), ("09:49", "Change rolled back")]),
            ("h2", "Action items"),
            ("ol", ["Validate connection limits before deploys", "Add a canary stage for configuration changes", "Page the database team on pool exhaustion"]),
            ("p", "The team thanks everyone who joined the incident call on short notice."),
        ],
        footer="Confidential",
    )
    write_pdf(
        "release-notes.pdf",
        [
            ("h1", "Release notes 4.2"),
            ("p", "Version 4.2 brings faster exports, a new audit log and many small fixes reported by customers."),
            ("h2", "New features"),
            ("ul", ["Exports run in the background and notify you by email", "The audit log records every permission change", "Administrators can export the audit log as CSV"]),
            ("h2", "Fixed issues"),
            ("ul", ["Dates in reports now follow the user's time zone", "Long page titles no longer overflow the sidebar"]),
            ("h2", "Upgrade notes"),
            ("p", "Upgrade the database schema before you start the new version. The migration takes about ten minutes on a large site."),
        ],
    )
    write_two_column_pdf(
        "newsletter.pdf",
        "Engineering newsletter, March",
        (
            [
                "The search team moved the index to the new cluster. Queries are twice as fast and the old servers are gone.",
                "Next month the team starts on spelling suggestions, the most requested feature of the year.",
            ],
            [
                "The data team hired two engineers who start in April. Say hello when you see them in the office.",
                "The quarterly hackathon is on the last Friday of the month. Teams of up to four may enter.",
            ],
        ),
    )
    write_pdf(
        "price-list.pdf",
        [("table", [("Plan", "Monthly price"), ("Starter", "10 EUR"), ("Team", "45 EUR"), ("Enterprise", "On request")])],
    )


def write_two_column_pdf(name: str, heading: str, columns: tuple[list[str], list[str]]) -> None:
    """A newsletter page: a heading across the page, then two columns of paragraphs read one after the other."""
    pdf = Pdf(None)
    pdf.add_page()
    pdf.set_font("dejavu", "B", 18)
    pdf.multi_cell(0, 9, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    top = pdf.get_y()
    pdf.set_font("dejavu", size=10)
    for x, paragraphs in zip((20, 110), columns):
        pdf.set_xy(x, top)
        for paragraph in paragraphs:
            pdf.set_x(x)
            pdf.multi_cell(80, 4.5, paragraph, new_x="LEFT", new_y="NEXT")
            pdf.ln(6)
    pdf.output(str(OUT / name))


# -- DOCX -----------------------------------------------------------------------------------------


def new_docx() -> docx.Document:
    d = docx.Document()
    d.core_properties.created = d.core_properties.modified = DATE
    return d


def add_table(d: docx.Document, rows: list[tuple[str, ...]]) -> None:
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value


def make_docxs() -> None:
    d = new_docx()
    d.add_paragraph("Architecture decision record 7", style="Title")
    d.add_heading("Context", level=1)
    d.add_paragraph("The reporting service reads from the primary database and slows it down during month-end closing.")
    d.add_heading("Decision", level=1)
    p = d.add_paragraph("We will move reporting to a ")
    p.add_run("read replica").bold = True
    p.add_run(" that is refreshed every five minutes.")
    d.add_heading("Consequences", level=1)
    for item in ("Reports may be up to five minutes old", "The primary keeps its capacity for orders", "A replica adds one more server to patch"):
        d.add_paragraph(item, style="List Bullet")
    d.save(OUT / "adr-007.docx")

    d = new_docx()
    d.add_heading("Release checklist", level=1)
    d.add_paragraph("Follow these steps for every production release, in this order.")
    for item in ("Freeze the release branch", "Run the full regression suite", "Update the changelog", "Tag the build and publish it"):
        d.add_paragraph(item, style="List Number")
    d.add_heading("Sign-off", level=2)
    add_table(d, [("Role", "Name", "Date"), ("Release manager", "Priya Natarajan", "2024-03-01"), ("QA lead", "Marco Rossi", "2024-03-01")])
    p = d.add_paragraph("Do not release on a Friday ")
    p.add_run("unless the fix is urgent").italic = True
    p.add_run(".")
    d.save(OUT / "release-checklist.docx")

    d = new_docx()
    d.sections[0].header.paragraphs[0].text = "Example Corp internal"
    d.add_heading("Meeting notes: platform sync", level=1)
    d.add_paragraph("Attendees were the platform team, the security team and two product managers.")
    d.add_heading("Decisions", level=2)
    for item in ("Adopt the new logging library in all services", "Keep the old dashboards until June"):
        d.add_paragraph(item, style="List Bullet")
    d.add_heading("Open questions", level=2)
    d.add_paragraph("Who owns the alert rules for the shared cluster?")
    d.add_heading("Action items", level=2)
    add_table(d, [("Owner", "Task"), ("Aiko", "Draft the migration plan"), ("Dana", "Review the alert rules")])
    d.save(OUT / "meeting-notes.docx")

    d = new_docx()
    d.add_paragraph("Vendor evaluation", style="Title")
    d.add_paragraph("Three vendors answered the request for proposals. This document compares them on cost, support and security.")
    d.add_heading("Comparison", level=1)
    add_table(d, [("Vendor", "Yearly cost", "Support", "SOC 2"), ("Acme", "40,000", "24/7", "Yes"), ("Globex", "32,000", "Business hours", "Yes"), ("Initech", "28,000", "Email", "No")])
    d.add_heading("Recommendation", level=1)
    p = d.add_paragraph("We recommend ")
    p.add_run("Globex").bold = True
    p.add_run(" because it meets the security requirements at a lower cost than Acme.")
    d.add_heading("Risks", level=2)
    d.add_paragraph("Support is limited to business hours in Europe", style="List Bullet")
    d.add_paragraph("The contract renews automatically every year", style="List Bullet")
    d.save(OUT / "vendor-evaluation.docx")


# -- XLSX -----------------------------------------------------------------------------------------


def new_workbook() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.properties.created = wb.properties.modified = DATE
    return wb


def fill(ws, rows: list[tuple]) -> None:
    for row in rows:
        ws.append(row)


def make_xlsxs() -> None:
    wb = new_workbook()
    ws = wb.active
    ws.title = "Budget"
    fill(ws, [("Team budget 2024",), (), ("Team", "Q1", "Q2", "Q3", "Q4"), ("Platform", 120, 125, 130, 130), ("Search", 80, 85, 85, 90), ("Data", 95, 95, 100, 110)])
    ws = wb.create_sheet("Headcount")
    fill(ws, [("Team", "Engineers", "Managers"), ("Platform", 12, 2), ("Search", 7, 1), ("Data", 9, 1)])
    ws = wb.create_sheet("Assumptions")
    fill(ws, [("Salaries grow by three percent a year",), ("Hardware is leased, not bought",)])
    wb.save(OUT / "budget-2024.xlsx")

    wb = new_workbook()
    ws = wb.active
    ws.title = "Inventory"
    fill(ws, [("Host", "Role", "Zone", "CPU"), ("db-1", "primary", "eu-west-1a", 16), ("db-2", "replica", "eu-west-1b", 16), ("web-1", "frontend", "eu-west-1a", 8), ("web-2", "frontend", "eu-west-1b", 8)])
    ws = wb.create_sheet("Owners")
    fill(ws, [("Role", "Team", "Pager"), ("primary", "Data", "data-oncall"), ("replica", "Data", "data-oncall"), ("frontend", "Web", "web-oncall")])
    wb.save(OUT / "server-inventory.xlsx")

    wb = new_workbook()
    ws = wb.active
    ws.title = "Roadmap"
    fill(ws, [("Item", "Quarter", "Status"), ("Audit log", "Q1", "Done"), ("Background exports", "Q2", "In progress"), ("SAML sign-in", "Q3", "Planned")])
    ws = wb.create_sheet("Risks")
    fill(ws, [("Risk", "Likelihood", "Impact"), ("Key engineer leaves", "Low", "High"), ("Vendor delays", "Medium", "Medium")])
    ws = wb.create_sheet("Notes")
    fill(ws, [("Reviewed by the steering group in March",)])
    wb.save(OUT / "product-roadmap.xlsx")

    wb = new_workbook()
    ws = wb.active
    ws.title = "January"
    fill(ws, [("On-call rota",), (), ("Week", "Primary", "Secondary"), ("1", "Aiko", "Dana"), ("2", "Marco", "Priya"), ("3", "Dana", "Aiko"), (), ("Swaps need the team lead's approval",)])
    ws = wb.create_sheet("February")
    fill(ws, [("Week", "Primary", "Secondary"), ("5", "Priya", "Marco"), ("6", "Aiko", "Dana")])
    wb.save(OUT / "oncall-rota.xlsx")


# -- PPTX -----------------------------------------------------------------------------------------


def new_deck() -> Presentation:
    prs = Presentation()
    prs.core_properties.created = prs.core_properties.modified = DATE
    return prs


def title_slide(prs: Presentation, title: str, subtitle: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = title
    slide.placeholders[1].text = subtitle


def bullet_slide(prs: Presentation, title: str, bullets: list[tuple[int, str]]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = title
    body = slide.placeholders[1].text_frame
    for i, (level, text) in enumerate(bullets):
        paragraph = body.paragraphs[0] if i == 0 else body.add_paragraph()
        paragraph.text = text
        paragraph.level = level


def table_slide(prs: Presentation, title: str, rows: list[tuple[str, ...]]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = title
    shape = slide.shapes.add_table(len(rows), len(rows[0]), Inches(1), Inches(2), Inches(8), Inches(0.4 * len(rows)))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            shape.table.cell(r, c).text = value


def make_pptxs() -> None:
    prs = new_deck()
    title_slide(prs, "Platform strategy 2024", "Where the platform team is going next year")
    bullet_slide(prs, "Goals", [(0, "Halve the time from merge to production"), (0, "Make every service observable"), (1, "Traces for all requests"), (1, "Logs in one place")])
    bullet_slide(prs, "Non-goals", [(0, "Rewriting services that work"), (0, "Building our own database")])
    prs.save(OUT / "platform-strategy.pptx")

    prs = new_deck()
    title_slide(prs, "Incident review", "Checkout outage of 12 February")
    bullet_slide(prs, "What happened", [(0, "A configuration change removed the connection limit"), (0, "The database ran out of connections"), (0, "Checkout failed for 47 minutes")])
    table_slide(prs, "Timeline", [("Time", "Event"), ("09:02", "Change deployed"), ("09:10", "Alert fired"), ("09:49", "Rolled back")])
    bullet_slide(prs, "What we change", [(0, "Validate configuration before deploys"), (0, "Canary every configuration change")])
    prs.save(OUT / "incident-review.pptx")

    prs = new_deck()
    title_slide(prs, "Quarterly business review", "Sales and support, third quarter")
    table_slide(prs, "Revenue by region", [("Region", "Revenue", "Growth"), ("Europe", "4.1M", "12%"), ("Americas", "6.3M", "8%"), ("Asia", "2.2M", "21%")])
    bullet_slide(prs, "Support", [(0, "Median first response fell to two hours"), (0, "Satisfaction rose to 94 percent"), (1, "Highest in Europe")])
    prs.save(OUT / "business-review.pptx")

    prs = new_deck()
    title_slide(prs, "Team onboarding", "Everything you need in your first month")
    bullet_slide(prs, "Week one", [(0, "Get your accounts and laptop"), (0, "Meet your buddy"), (0, "Read the architecture overview")])
    bullet_slide(prs, "Week two", [(0, "Ship your first change"), (0, "Join the on-call shadow rota")])
    bullet_slide(prs, "Who to ask", [(0, "Your buddy for anything about the code"), (0, "The team lead for priorities")])
    prs.save(OUT / "team-onboarding.pptx")

    # Text boxes drawn after the body but placed above and below it: partition_pptx reads by position, not drawing order.
    prs = new_deck()
    title_slide(prs, "Roadmap review", "Planning for the second half")
    bullet_slide(prs, "Themes", [(0, "New customers finish onboarding in a single day."), (0, "Billing needs no manual steps at the end of the month.")])
    slide = prs.slides[-1]
    slide.shapes.add_textbox(Inches(0.5), Inches(6.8), Inches(9), Inches(0.4)).text_frame.text = "Source: the planning spreadsheet of March"
    slide.shapes.add_textbox(Inches(0.5), Inches(0.05), Inches(9), Inches(0.3)).text_frame.text = "Draft for discussion"
    prs.save(OUT / "roadmap-review.pptx")


# -- CSV and Markdown -----------------------------------------------------------------------------


def write_csv(name: str, rows: list[tuple], delimiter: str = ",") -> None:
    with open(OUT / name, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)


def make_csvs() -> None:
    write_csv("services.csv", [("service", "owner", "tier", "language"), ("checkout", "payments", "1", "Go"), ("search", "discovery", "1", "Java"), ("reports", "data", "2", "Python"), ("wiki", "platform", "3", "TypeScript")])
    write_csv("deploys.csv", [("date", "service", "version", "result"), ("2024-03-01", "checkout", "4.2.0", "success"), ("2024-03-02", "search", "2.9.1", "rolled back"), ("2024-03-04", "checkout", "4.2.1", "success")], delimiter=";")
    write_csv("contacts.csv", [("name", "team", "note"), ("Aiko Tanaka", "Platform", "Owns the build system, ask about CI"), ("Marco Rossi", "Data", 'Says "ship it" a lot'), ("Priya Natarajan", "Release", "Back on Monday")])
    write_csv("latency.csv", [("endpoint", "p50_ms", "p99_ms"), ("/api/orders", "12", "180"), ("/api/search", "35", "420"), ("/api/users", "8", "95")])


MARKDOWN = {
    "README.md": """# Deploy tool

The deploy tool ships a service to staging or production with one command.

## Install

Run the installer and add the tool to your path:

```bash
curl -sSf https://deploy.example.com/install.sh | sh
export PATH="$HOME/.deploy/bin:$PATH"
```

## Usage

- `deploy staging` ships the current branch to staging
- `deploy production` ships the latest tag to production
- `deploy rollback` returns to the previous release

See the [runbook](https://wiki.example.com/runbook) when a deploy fails.
""",
    "CHANGELOG.md": """# Changelog

## 2.1.0

### Added

- Background exports for large reports
- An audit log of permission changes

### Fixed

- Dates in reports follow the user's time zone

## 2.0.0

### Changed

- The API now requires a token for every request
""",
    "oncall-handbook.md": """# On-call handbook

Being on call means you answer pages for the services your team owns, day and night, for one week.

## Before your shift

1. Check that the pager app can reach you
2. Read the handover notes from the previous engineer
3. Make sure your laptop is charged and with you

## During an incident

> Stay calm, write down what you do, and ask for help early.

Open an incident channel and post updates every thirty minutes. **Never** restart the database without the data team.

## Escalation

| Severity | Who to call | Within |
|----------|-------------|--------|
| SEV1 | Incident commander | 5 minutes |
| SEV2 | Team lead | 30 minutes |
| SEV3 | Next business day | 1 day |
""",
    "api-guide.md": """# Orders API

The Orders API lets partners create and track orders.

## Authentication

Every request carries a bearer token in the `Authorization` header. Tokens expire after one hour.

## Endpoints

### Create an order

`POST /v1/orders` creates an order and returns its id.

```json
{"sku": "A-100", "quantity": 2}
```

### Get an order

`GET /v1/orders/{id}` returns the order with its current status.

## Errors

* `400` means the request body is invalid
* `401` means the token is missing or expired
* `429` means you sent too many requests; wait and retry
""",
}


def make_markdown() -> None:
    for name, text in MARKDOWN.items():
        (OUT / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    make_pdfs()
    make_docxs()
    make_xlsxs()
    make_pptxs()
    make_csvs()
    make_markdown()
    for f in sorted(OUT.iterdir()):
        print(f.name, f.stat().st_size)
