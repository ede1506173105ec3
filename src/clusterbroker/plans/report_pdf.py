"""The partnership report as a PDF for its funder.

Pages as a programme officer reads them: a cover (the partnership, its programme, period and
coordinator, the day of the report), a one-page summary (key figures, then each KPI against
its target with a bar), then the action plan, the events, the members and their competences.
Every page but the cover is numbered "Page n of N" with the partnership's name and the day.
The plan's warnings for its managers (a member leading no action...) are not printed: the
report shows results, the managers' page shows what is left to do.

The text is set in Helvetica, one of the PDF's standard fonts, when every character of the
report is one it draws (Western European languages); otherwise (Romanian ș and ț, a
member named "Łódź Cluster") in DejaVu Sans, embedded, where it is installed.
"""

import io
from xml.sax.saxutils import escape as xml_escape

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Line, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from clusterbroker.community.evaluation.certificate import STANDARD_FONTS
from clusterbroker.community.evaluation.certificate import fonts as unicode_fonts

from .models import ActionStatus
from .reports import (
    CONTROL_CHARACTERS,
    PartnershipReport,
    day_text,
    detail_sections,
    number_text,
    share_text,
)

BRAND = colors.HexColor("#1f4e8c")
LIGHT = colors.HexColor("#dbe8f7")
RULE = colors.HexColor("#b9c2cf")
MET = colors.HexColor("#2e7d32")
SHORT = colors.HexColor("#1f4e8c")
BAR_WIDTH = 70 * mm
BAR_HEIGHT = 4 * mm
PAGE = landscape(A4)
MARGIN = 18 * mm


def _escape(text: str) -> str:
    """Text for reportlab's Paragraph markup: shown literally, never read as tags (control
    characters, which no font draws, are left out)."""
    return xml_escape(CONTROL_CHARACTERS.sub("", str(text)), {'"': "&quot;"})


def _styles(fonts: dict[str, str] | None = None) -> dict:
    fonts = fonts or STANDARD_FONTS
    base = getSampleStyleSheet()
    for name in ("BodyText", "Title", "Heading1", "Heading2"):
        base[name].fontName = fonts["bold" if name != "BodyText" else "regular"]
    return {
        "kicker": base["BodyText"].clone("kicker", fontSize=12, textColor=BRAND, leading=16),
        "cover": base["Title"].clone("cover", fontSize=30, leading=36, alignment=0),
        "subtitle": base["BodyText"].clone("subtitle", fontSize=14, leading=18),
        "h1": base["Heading1"].clone("h1", textColor=BRAND),
        "h2": base["Heading2"].clone("h2", textColor=BRAND, keepWithNext=1),
        "body": base["BodyText"],
        "muted": base["BodyText"].clone("muted", textColor=colors.HexColor("#555555")),
        "cell": base["BodyText"].clone("cell", fontSize=8, leading=10),
        "figure": base["BodyText"].clone("figure", fontSize=20, leading=24, textColor=BRAND),
    }


def _table(rows: list[list], widths=None, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("GRID", (0, 0), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), LIGHT))
    table.setStyle(TableStyle(style))
    return table


def _cover(report: PartnershipReport, s: dict) -> list:
    p = report.partnership
    name = p.name + (f" ({p.acronym})" if p.acronym else "")
    period = ""
    first, last = report.period_start, report.period_end
    if first or last:
        period = f"{day_text(first) if first else '…'} – {day_text(last) if last else '…'}"
    facts = [
        (_("Type"), p.get_kind_display()),
        (_("Funding programme"), p.funding_programme),
        (_("Period"), period),
        (_("Coordinator"), p.coordinator.name if p.coordinator else ""),
        (_("Members"), str(len(report.members))),
        (_("Report as of"), day_text(report.made_on)),
    ]
    rows = [
        [Paragraph(_escape(label), s["muted"]), Paragraph(_escape(value), s["body"])]
        for label, value in facts
        if value
    ]
    story = [
        Spacer(0, 30 * mm) if not p.logo else Spacer(0, 12 * mm),
        *_logo(p),
        Paragraph(_escape(_("Partnership report")), s["kicker"]),
        Paragraph(_escape(name), s["cover"]),
        Spacer(0, 8 * mm),
    ]
    if rows:
        table = Table(rows, colWidths=[45 * mm, 150 * mm], hAlign="LEFT")
        table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE)]))
        story.append(table)
    if p.description:
        story += [Spacer(0, 8 * mm), Paragraph(_escape(_summary_text(p.description)), s["body"])]
    story += [
        Spacer(0, 12 * mm),
        Paragraph(
            _escape(
                _("Generated on %(day)s by ClusterBroker.") % {"day": day_text(report.made_on)}
            ),
            s["muted"],
        ),
        PageBreak(),
    ]
    return story


def _logo(partnership) -> list:
    """The partnership's logo, at most 30 mm high and 80 mm wide, left-aligned; nothing
    when it has none or its file no longer reads as an image."""
    if not partnership.logo:
        return []
    try:
        with partnership.logo.open("rb") as file:
            data = io.BytesIO(file.read())
        reader = ImageReader(data)
        width, height = reader.getSize()
    except (OSError, ValueError):
        return []
    scale = min(30 * mm / height, 80 * mm / width)
    data.seek(0)
    image = Image(data, width=width * scale, height=height * scale, hAlign="LEFT")
    return [image, Spacer(0, 8 * mm)]


def _summary_text(description: str, limit: int = 700) -> str:
    text = " ".join(description.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def _bar(share: float | None, scale: float, target: float | None, value: float) -> Drawing:
    """A KPI's achieved value (bar) against its target (the dark line), on the KPI's scale."""
    drawing = Drawing(BAR_WIDTH, BAR_HEIGHT)
    drawing.add(Rect(0, 0, BAR_WIDTH, BAR_HEIGHT, fillColor=LIGHT, strokeColor=None))
    met = share is not None and share >= 1
    width = BAR_WIDTH * min(value / scale, 1.0)
    if width > 0:
        colour = MET if met else SHORT
        drawing.add(Rect(0, 0, width, BAR_HEIGHT, fillColor=colour, strokeColor=None))
    if target is not None:
        x = BAR_WIDTH * min(target / scale, 1.0)
        drawing.add(Line(x, -1, x, BAR_HEIGHT + 1, strokeColor=colors.black, strokeWidth=1.2))
    return drawing


def _figures(report: PartnershipReport, s: dict) -> Table:
    """The key figures of the summary, side by side."""
    done = report.status_counts.get(str(ActionStatus.DONE.label), 0)
    figures = [
        (str(len(report.members)), _("members")),
        (str(len(report.actions)), _("actions in the plan")),
        (str(done), _("actions done")),
    ]
    if report.events:  # figures of the events recorded here, if any
        figures += [
            (str(len(report.events)), _("events")),
            (str(sum(e.figures.held for e in report.events)), _("meetings held")),
            (str(sum(e.figures.agreements for e in report.events)), _("agreements")),
        ]
    cells = [
        [Paragraph(_escape(n), s["figure"]), Paragraph(_escape(label), s["muted"])]
        for n, label in figures
    ]
    table = Table([cells], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _kpis(report: PartnershipReport, s: dict) -> list:
    cell = s["cell"]
    header = [_("KPI"), _("Achieved"), _("Target"), _("Achieved against target"), _("Source")]
    rows = [[Paragraph(_escape(h), cell) for h in header]]
    for r in report.kpis:
        name = r.kpi.name + (f" ({r.kpi.unit})" if r.kpi.unit else "")
        share = r.share
        target = None if r.kpi.target is None else float(r.kpi.target)
        chart = (
            Paragraph(_escape(_("No target set.")), cell)
            if target is None
            else Table(
                [[_bar(share, r.scale, target, float(r.value or 0)), share_text(share)]],
                colWidths=[BAR_WIDTH + 3 * mm, 14 * mm],
                style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("FONTSIZE", (0, 0), (-1, -1), 8)],
            )
        )
        rows.append(
            [
                Paragraph(_escape(name), cell),
                Paragraph(_escape(number_text(r.value)), cell),
                Paragraph(_escape(number_text(r.kpi.target)), cell),
                chart,
                Paragraph(_escape(r.kpi.get_source_display()), cell),
            ]
        )
    story = [Paragraph(_escape(_("KPIs against targets")), s["h2"])]
    if len(rows) == 1:
        return [*story, Paragraph(_escape(_("No KPI yet.")), s["body"])]
    widths = [75 * mm, 22 * mm, 22 * mm, BAR_WIDTH + 22 * mm, 50 * mm]
    return [
        *story,
        _table(rows, widths),
        Spacer(0, 2 * mm),
        Paragraph(
            _escape(_("Bar: achieved so far; dark line: the target; green: target met.")),
            s["muted"],
        ),
    ]


def _summary(report: PartnershipReport, s: dict) -> list:
    return [
        Paragraph(_escape(_("Summary")), s["h1"]),
        _figures(report, s),
        Spacer(0, 4 * mm),
        *_kpis(report, s),
        PageBreak(),
    ]


def _details(report: PartnershipReport, s: dict) -> list:
    """The action plan, the events, the members and the competence matrix."""
    story = []
    matrix = report.matrix
    for title, rows in detail_sections(report):
        heading = Paragraph(_escape(title), s["h2"])
        is_matrix = title == str(_("Competence matrix"))
        if len(rows) == 1 or (is_matrix and not any(any(r.levels) for r in matrix.rows)):
            story += [heading, Paragraph(_escape(_("Nothing recorded.")), s["body"])]
            continue
        cells = [[Paragraph(_escape(v), s["cell"]) for v in row] for row in rows]
        story += [heading, _table(cells, _widths(rows)), Spacer(0, 2 * mm)]
        if is_matrix:
            legend = " · ".join(f"{c.code}: {c.label}" for c in matrix.columns)
            story.append(Paragraph(_escape(legend), s["muted"]))
        story.append(Spacer(0, 4 * mm))
    return story


def _widths(rows: list[list[str]]) -> list[float]:
    """Column widths across the page, after the length of their longest text (within
    bounds, so that a long title wraps and a number keeps a narrow column)."""
    longest = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    weights = [min(max(n, 4), 60) for n in longest]
    usable = PAGE[0] - 2 * MARGIN
    return [usable * w / sum(weights) for w in weights]


def _numbered_canvas(footer: str, font: str = "Helvetica"):
    """A canvas that writes "Page n of N" and `footer` at the foot of every page but the
    cover, once the number of pages is known."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                if number > 1:
                    self._foot(number, total)
                super().showPage()
            super().save()

        def _foot(self, number: int, total: int) -> None:
            width, _height = self._pagesize
            self.setFont(font, 8)
            self.setFillColor(colors.HexColor("#555555"))
            self.setStrokeColor(RULE)
            self.line(MARGIN, 12 * mm, width - MARGIN, 12 * mm)
            self.drawString(MARGIN, 8 * mm, CONTROL_CHARACTERS.sub("", footer)[:150])
            label = _("Page %(number)s of %(total)s") % {"number": number, "total": total}
            self.drawRightString(width - MARGIN, 8 * mm, label)

    return NumberedCanvas


def _texts(flowables) -> list[str]:
    """Every text of `flowables` (paragraphs, and table cells, nested)."""
    found = []
    for item in flowables:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, Paragraph):
            found.append(item.text)
        elif isinstance(item, Table):
            for row in item._cellvalues:
                found += _texts(row)
        elif isinstance(item, list | tuple):
            found += _texts(item)
    return found


def _drawn_by_standard_fonts(texts: list[str]) -> bool:
    try:
        for text in texts:
            text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def report_pdf(report: PartnershipReport) -> bytes:
    """The report as an A4 landscape PDF: cover, summary, details, numbered pages."""
    buffer = io.BytesIO()
    title = _("%(name)s: partnership report, %(day)s") % {
        "name": report.partnership.name,
        "day": day_text(report.made_on),
    }
    fonts = STANDARD_FONTS
    s = _styles(fonts)
    story = [*_cover(report, s), *_summary(report, s), *_details(report, s)]
    label = _("Page %(number)s of %(total)s") % {"number": 1, "total": 1}
    if not _drawn_by_standard_fonts([title, label, *_texts(story)]):
        fonts = unicode_fonts()
        s = _styles(fonts)
        story = [*_cover(report, s), *_summary(report, s), *_details(report, s)]
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        title=CONTROL_CHARACTERS.sub("", title),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
    )
    document.build(story, canvasmaker=_numbered_canvas(title, fonts["regular"]))
    return buffer.getvalue()
