"""A stop as an iCalendar event, in the tour's timezone."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar, Event

from caravane.tour.models import TOUR_TIMEZONE, Stop


def stop_event(stop: Stop, url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//caravane//Technopolice//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    event = Event()
    event.add("uid", f"{stop.slug}@{stop.tour.slug}.caravane")
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", stop.starts_at.replace(tzinfo=TOUR_TIMEZONE))
    event.add("dtend", stop.ends_at.replace(tzinfo=TOUR_TIMEZONE))
    event.add("summary", f"{stop.tour.title} — {stop.city}")
    event.add("location", f"{stop.venue}, {stop.address}" if stop.address != stop.city
              else f"{stop.venue}, {stop.city}")
    guests = ", ".join(guest["name"] for guest in stop.guests)
    event.add("description", f"{stop.summary}\n\nAvec {guests}.\n\n{url}")
    event.add("url", url)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
