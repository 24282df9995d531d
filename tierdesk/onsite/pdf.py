"""The printable appendix A: the application laid out as the company's paper form, as PDF."""

from django.template.loader import render_to_string

from tierdesk.onsite.models import OnsiteApplication


def render_application_pdf(application: OnsiteApplication, *, base_url: str = "") -> bytes:
    """A4 PDF in the active language; the CJK font is embedded so any viewer shows Chinese."""
    # Imported here: WeasyPrint loads its stylesheets and fonts on import, which every other
    # page and command would pay for.
    from weasyprint import HTML

    html = render_to_string(
        "onsite/application_pdf.html",
        {"application": application, "steps": application.steps.select_related("actor")},
    )
    return HTML(string=html, base_url=base_url or None).write_pdf()


def pdf_filename(application: OnsiteApplication) -> str:
    return f"{application.serial}.pdf"
