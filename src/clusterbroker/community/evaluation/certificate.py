"""The certificate of an awarded application: made once at the decision, stored, never rebuilt.

`issue_certificate` takes what is awarded to whom from the records as they stand at the
decision, renders the one-page PDF and stores both; downloads serve the stored PDF and the
verification page shows the stored values, so renaming the organisation (or the call) later
changes nothing that was certified.
"""

import secrets
from functools import cache
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import registerFont, stringWidth
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen import canvas

from ..models import Application, AwardCall, Certificate

BLUE = HexColor("#1f4e79")
QR_SIZE = 90
STANDARD_FONTS = {"regular": "Helvetica", "bold": "Helvetica-Bold", "italic": "Helvetica-Oblique"}
DEJAVU = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
}

# The line under the organisation's name, one whole sentence per kind of call (a translated
# kind cannot be put in a shared sentence: its case and its article change with it).
AWARDED = {
    AwardCall.Kind.LABEL: gettext_lazy("has been awarded the label"),
    AwardCall.Kind.AWARD: gettext_lazy("has been awarded the prize"),
}


@cache
def fonts() -> dict[str, str]:
    """DejaVu Sans where it is installed (it writes the names of every European language:
    Łódź, Győr …); the PDF standard fonts otherwise."""
    try:
        for style, file in DEJAVU.items():
            registerFont(TTFont(f"Certificate-{style}", file))
    except (TTFError, OSError):
        return STANDARD_FONTS
    return {style: f"Certificate-{style}" for style in DEJAVU}


def certificate_number(application: Application) -> str:
    return f"{application.call.slug}-{application.pk}"


def verification_path(code: str) -> str:
    return reverse("community:certificate-verify", args=[code])


def _centred(pdf: canvas.Canvas, text: str, y: float, font: str, size: float, width: float):
    """Text centred on the page around the line `y`, whole: its font shrunk until it fits
    between the margins, on two lines (or more, at the smallest size) when it is too long
    for one."""
    room = width - 160
    while True:
        lines = simpleSplit(text, font, size, room) or [""]
        if len(lines) == 1 or (len(lines) == 2 and size <= 14) or size <= 9:
            break
        size -= 1
    leading = size * 1.1
    pdf.setFont(font, size)
    top = y + (len(lines) - 1) * leading / 2
    for number, line in enumerate(lines):
        pdf.drawCentredString(width / 2, top - number * leading, line)


def render_pdf(certificate: Certificate, verify_url: str) -> bytes:
    """The one-page certificate, from the certificate's stored values only."""
    font = fonts()
    buffer = BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{certificate.call_name}: {certificate.organisation_name}")
    pdf.setSubject(_("Certificate no. %(n)s") % {"n": certificate.number})
    pdf.setStrokeColor(BLUE)
    pdf.setLineWidth(6)
    pdf.rect(30, 30, width - 60, height - 60)
    pdf.setFillColor(BLUE)
    _centred(pdf, _("Certificate"), height - 130, font["bold"], 34, width)
    pdf.setFillColor(HexColor("#000000"))
    _centred(pdf, _("This certifies that"), height - 180, font["regular"], 16, width)
    _centred(pdf, certificate.organisation_name, height - 230, font["bold"], 26, width)
    line = AWARDED.get(certificate.kind, AWARDED[AwardCall.Kind.LABEL])
    _centred(pdf, str(line), height - 275, font["regular"], 16, width)
    _centred(pdf, certificate.call_name, height - 315, font["bold"], 22, width)
    title = _("for “%(title)s”") % {"title": certificate.title}
    _centred(pdf, title, height - 355, font["italic"], 14, width)
    if certificate.score is not None:
        number = formats.number_format(certificate.score, use_l10n=True)
        score = _("Weighted score: %(score)s %%") % {"score": number}
        _centred(pdf, score, height - 395, font["regular"], 12, width)
    pdf.setFont(font["regular"], 12)
    date = formats.date_format(timezone.localdate(certificate.issued_at), "DATE_FORMAT")
    pdf.drawString(70, 90, _("Date: %(date)s") % {"date": date})
    pdf.drawString(70, 72, _("Certificate no. %(n)s") % {"n": certificate.number})
    # The verification link (clickable) and its QR code, bottom right.
    qr = QrCodeWidget(verify_url)
    left, bottom, right, top = qr.getBounds()
    drawing = Drawing(
        QR_SIZE, QR_SIZE, transform=[QR_SIZE / (right - left), 0, 0, QR_SIZE / (top - bottom), 0, 0]
    )
    drawing.add(qr)
    qr_x = width - 70 - QR_SIZE
    renderPDF.draw(drawing, pdf, qr_x, 62)
    text_x = qr_x - 10
    pdf.setFont(font["regular"], 8)
    pdf.drawRightString(text_x, 90, _("Verify this certificate at"))
    pdf.drawRightString(text_x, 78, verify_url)
    code = _("Code: %(code)s") % {"code": certificate.code}
    pdf.drawRightString(text_x, 66, code)
    url_width = stringWidth(verify_url, font["regular"], 8)
    pdf.linkURL(verify_url, (text_x - url_width, 62, qr_x + QR_SIZE, 62 + QR_SIZE), relative=0)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def issue_certificate(application: Application, site: str = "") -> Certificate:
    """Make and store the certificate of an application awarded just now. `site` is the
    address the platform is reached at (scheme and host), printed before the verification
    path; without it the PDF shows the path alone."""
    if not application.awarded or application.decided_at is None:
        raise ValidationError(_("Only an awarded application has a certificate."))
    existing = Certificate.objects.filter(application=application).first()
    if existing is not None:
        return existing
    certificate = Certificate(
        application=application,
        number=certificate_number(application),
        code=secrets.token_urlsafe(18),
        organisation_name=application.organisation.name,
        call_name=application.call.name,
        kind=application.call.kind,
        title=application.title,
        score=application.consensus_score,
        issued_at=application.decided_at,
    )
    with translation.override(certificate_language(application)):
        certificate.pdf = render_pdf(
            certificate, site.rstrip("/") + verification_path(certificate.code)
        )
    certificate.save()
    return certificate


def certificate_language(application: Application) -> str:
    """The language the certificate is written in: the one the applicant chose in their
    account, if the site speaks it; else the language in force (the decision's)."""
    from clusterbroker.accounts.speaking import chosen_language

    return (
        chosen_language(application.submitted_by)
        or translation.get_language()
        or settings.LANGUAGE_CODE
    )


def stored_certificate(application: Application) -> Certificate | None:
    """The certificate made at the decision, if the application was awarded."""
    if not application.awarded:
        return None
    return Certificate.objects.filter(application=application).first()


def pdf_bytes(certificate: Certificate) -> bytes:
    return bytes(certificate.pdf)
