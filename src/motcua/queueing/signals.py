"""Signals other apps listen to (connect in your AppConfig.ready()).

`ticket_near(sender=Ticket, ticket=<Ticket>, ahead=<int>)`: sent once per ticket, after the
commit of a call, when a ticket with a phone number (a virtual ticket or one whose holder left a
number) has `ahead` ≤ 3 people before it. The notifications app sends the SMS/Zalo message from
it through its outbox; the queue app sends nothing itself.
"""

from django.dispatch import Signal

ticket_near = Signal()
