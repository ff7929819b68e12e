"""A meeting's minutes as PDF and the meeting as a calendar file."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from icalendar import Calendar, Event

from uppsok.core.pdf import FONT_FAMILY, new_document

# A meeting booked without an end is put in calendars as this long.
DEFAULT_MEETING_LENGTH = datetime.timedelta(hours=2)


def minutes_pdf(network: Any, meeting: Any) -> bytes:
    pdf = new_document(f"Minnesanteckningar {meeting.title}")

    def heading(text: str, size: int = 12) -> None:
        pdf.set_font(FONT_FAMILY, "B", size)
        pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")

    def para(text: str) -> None:
        pdf.set_font(FONT_FAMILY, "", 11)
        pdf.multi_cell(0, 6, text or "–", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    local = timezone.localtime(meeting.starts_at)
    heading(f"{network.name}: {meeting.title}", 15)
    para(f"{local:%Y-%m-%d %H:%M}" + (f", {meeting.place}" if meeting.place else ""))
    participants = [o.name for o in meeting.participant_organisations.order_by("name")]
    participants += [line.strip() for line in meeting.other_participants.splitlines() if line.strip()]
    heading("Deltagare")
    para(", ".join(participants))
    heading("Dagordning")
    para(meeting.agenda)
    heading("Minnesanteckningar")
    para(meeting.minutes)
    decisions = list(meeting.decisions.all())
    if decisions:
        heading("Beslut")
        for i, d in enumerate(decisions, start=1):
            para(f"{i}. {d.text}")
    follow_ups = list(meeting.follow_ups.select_related("responsible_organisation"))
    if follow_ups:
        heading("Uppföljning")
        for f in follow_ups:
            who = f.responsible_organisation.name if f.responsible_organisation else f.responsible_name
            due = f" senast {f.due_on:%Y-%m-%d}" if f.due_on else ""
            done = " (klar)" if f.done_at else ""
            para(f"{f.what} – {who}{due}{done}")
    return bytes(pdf.output())


def meeting_ics(network: Any, meeting: Any) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Uppsök//nätverksmöte//SV")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", f"{meeting.pk}@uppsok")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at or meeting.starts_at + DEFAULT_MEETING_LENGTH)
    event.add("summary", f"{network.name}: {meeting.title}")
    if meeting.place:
        event.add("location", meeting.place)
    if meeting.agenda:
        event.add("description", meeting.agenda)
    cal.add_component(event)
    return cal.to_ical()


def directory_pdf(network: Any, entries: list[Any]) -> bytes:
    pdf = new_document(f"Katalog – {network.name}")
    pdf.set_font(FONT_FAMILY, "B", 15)
    pdf.multi_cell(0, 8, f"Katalog – {network.name}", new_x="LMARGIN", new_y="NEXT")
    kind = None
    for e in entries:
        if e.kind != kind:
            kind = e.kind
            pdf.ln(2)
            pdf.set_font(FONT_FAMILY, "B", 12)
            pdf.multi_cell(0, 7, str(e.get_kind_display()), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT_FAMILY, "B", 10)
        pdf.multi_cell(0, 5, e.name + (f"  {e.phone}" if e.phone else ""), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT_FAMILY, "", 9)
        details = " · ".join(x for x in (e.area, e.website, e.email, e.description) if x)
        if details:
            pdf.multi_cell(0, 4.5, details, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT_FAMILY, "", 7)
        pdf.multi_cell(0, 4, f"Källa: {e.source or '–'}; kontrollerad {e.checked_on or '–'}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    return bytes(pdf.output())
