"""The certificate of an awarded application, as a one-page PDF."""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from ..models import Application


def certificate_pdf(application: Application) -> bytes:
    if not application.awarded:
        raise ValidationError(_("Only an awarded application has a certificate."))
    buffer = BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{application.call.name} – {application.organisation.name}")
    pdf.setStrokeColor(HexColor("#1f4e79"))
    pdf.setLineWidth(6)
    pdf.rect(30, 30, width - 60, height - 60)
    pdf.setFillColor(HexColor("#1f4e79"))
    pdf.setFont("Helvetica-Bold", 34)
    pdf.drawCentredString(width / 2, height - 130, _("Certificate"))
    pdf.setFillColor(HexColor("#000000"))
    pdf.setFont("Helvetica", 16)
    pdf.drawCentredString(width / 2, height - 180, _("This certifies that"))
    pdf.setFont("Helvetica-Bold", 26)
    pdf.drawCentredString(width / 2, height - 230, application.organisation.name)
    pdf.setFont("Helvetica", 16)
    kind = application.call.get_kind_display().lower()
    pdf.drawCentredString(
        width / 2, height - 275, _("has been awarded the %(kind)s") % {"kind": kind}
    )
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawCentredString(width / 2, height - 315, application.call.name)
    pdf.setFont("Helvetica-Oblique", 14)
    pdf.drawCentredString(
        width / 2, height - 355, _("for “%(title)s”") % {"title": application.title[:110]}
    )
    pdf.setFont("Helvetica", 12)
    if application.consensus_score is not None:
        pdf.drawCentredString(
            width / 2,
            height - 395,
            _("Weighted score: %(score)s %%") % {"score": application.consensus_score},
        )
    pdf.drawString(
        70, 70, _("Date: %(date)s") % {"date": application.decided_at.date().isoformat()}
    )
    pdf.drawRightString(
        width - 70,
        70,
        _("Certificate no. %(n)s") % {"n": f"{application.call.slug}-{application.pk}"},
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
