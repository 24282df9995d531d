"""The printable quality feedback form, laid out as the company's paper form, as PDF."""

from django.template.loader import render_to_string

from tierdesk.quality.models import QualityFeedback


def render_feedback_pdf(feedback: QualityFeedback, *, base_url: str = "") -> bytes:
    """A4 PDF in the active language; the CJK font is embedded so any viewer shows Chinese."""
    # Imported here: WeasyPrint loads its stylesheets and fonts on import.
    from weasyprint import HTML

    html = render_to_string(
        "quality/feedback_pdf.html",
        {
            "feedback": feedback,
            "cases": feedback.cases.order_by("pk"),
            "evidence": feedback.evidence.all(),
            "steps": feedback.steps.select_related("actor"),
        },
    )
    return HTML(string=html, base_url=base_url or None).write_pdf()


def pdf_filename(feedback: QualityFeedback) -> str:
    return f"{feedback.serial}.pdf"
