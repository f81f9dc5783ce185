"""The words of the demo: what Northline Rail's customers ask and what its staff write back.

Plain data for relaydesk.setup.demo; each category of examples/demo-company.toml has its own
subjects, resolutions and root-cause problems, so the demo reads like a real desk.
"""

FIRST_NAMES = [
    "Anna", "Bas", "Chloe", "Daan", "Elif", "Femke", "Gijs", "Hannah", "Ivo", "Jasmijn",
    "Kees", "Lena", "Mohamed", "Noor", "Olga", "Pieter", "Quinten", "Ruth", "Sander", "Tessa",
    "Umar", "Vera", "Willem", "Xander", "Yara", "Zoe", "Aisha", "Bram", "Carlos", "Dewi",
    "Emre", "Fatima", "Greta", "Hugo", "Ingrid", "Jan", "Karin", "Luuk", "Mila", "Niels",
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "Brouwer", "de Wit", "Dijkstra", "Smits", "Yilmaz", "El Amrani", "Kaya", "Santos",
    "Novak", "Schmidt", "Kowalski", "Murphy", "Rossi", "Okafor",
]  # fmt: skip
STATIONS = [
    "Utrecht Centraal", "Amsterdam Centraal", "Rotterdam Centraal", "Den Haag HS", "Leiden",
    "Haarlem", "Amersfoort", "Zwolle", "Groningen", "Arnhem", "Nijmegen", "Eindhoven",
    "Schiphol Airport", "Hilversum", "Deventer",
]  # fmt: skip

SUBJECTS = {
    "tickets": [
        "Charged twice for a return ticket",
        "Ticket machine took payment but printed nothing",
        "Advance fare not shown in the app after booking",
        "Wrong date on my e-ticket",
        "Cannot change my booking to an earlier train",
        "Fined on board although I had a valid ticket",
        "Group discount not applied at checkout",
    ],
    "refunds": [
        "Delay repay claim for a 45-minute delay",
        "Refund for a cancelled train not received",
        "Charged twice for the same journey",
        "Unused ticket refund refused",
        "Compensation for a missed connection",
        "Refund went to an old bank card",
    ],
    "delays": [
        "Stuck for an hour outside Amersfoort without announcements",
        "Missed my connection because the train was late",
        "Replacement bus never came",
        "No information at the station during the disruption",
        "Train terminated early without warning",
        "Daily delays on the morning service",
    ],
    "accessibility": [
        "Booked assistance did not turn up",
        "Ramp not available at arrival",
        "Lift out of order at the station",
        "Guide dog refused on the replacement bus",
        "No wheelchair space on the booked train",
    ],
    "lost-property": [
        "Left my laptop bag on the train",
        "Lost a child's teddy bear at the station",
        "Wallet lost between Leiden and Haarlem",
        "Forgot my suitcase in the luggage rack",
        "Phone left on the seat",
    ],
    "season-tickets": [
        "Season ticket card blocked after renewal",
        "Annual ticket not loaded on the new card",
        "Charged for a renewal I cancelled",
        "Student discount missing on my monthly ticket",
        "Replacement card still not arrived",
    ],
    "website-app": [
        "App crashes when I open my tickets",
        "Cannot log in after the update",
        "Payment fails in the app with no message",
        "QR code does not scan at the gates",
        "Website shows the wrong platform",
    ],
    "complaints": [
        "Rude conductor on the evening train",
        "Toilets out of order for the whole journey",
        "Overcrowded train, no extra carriages",
        "Staff ignored a passenger who felt unwell",
        "Dirty carriages on the early service",
    ],
}

PROBLEMS = {
    "tickets": [
        "Ticket machines at smaller stations time out on card payments",
        "Booking engine applies the day's date to e-tickets bought after midnight",
    ],
    "refunds": [
        "Delay repay form rejects journeys with a change of train",
        "Refunds sent to expired cards bounce silently",
    ],
    "delays": [
        "Passenger information screens not fed during signal failures",
        "Replacement bus contractor short of drivers at weekends",
    ],
    "accessibility": [
        "Assistance bookings lost when a train is re-timed",
        "Lift maintenance not announced in the journey planner",
    ],
    "lost-property": ["Lost-property log not shared between depots"],
    "season-tickets": [
        "Card renewal sync job fails for cards issued before 2024",
        "Cancelled renewals still charged by the payment provider",
    ],
    "website-app": [
        "App 6.2 crashes on Android 12 when loading tickets",
        "QR codes rendered too small on compact phones",
    ],
    "complaints": ["Evening services run with too few carriages"],
}

RESOLUTIONS = {
    "tickets": "Refunded the duplicate charge and re-issued the ticket with the right date.",
    "refunds": "Approved the claim and paid the refund to the customer's current card.",
    "delays": "Apologised, explained the cause and added delay compensation to the account.",
    "accessibility": "Booked assistance for the return journey and confirmed it by phone.",
    "lost-property": "Found the item in the depot log; arranged collection at the station.",
    "season-tickets": "Re-loaded the product on the card and confirmed it works at the gates.",
    "website-app": "Walked the customer through reinstalling; tickets show again.",
    "complaints": "Apologised, shared the complaint with the team lead and sent a voucher.",
}

ONE_OFF_REASONS = [
    "A single mistake by the customer's bank; nothing in our process to change.",
    "One-off: a typing error at booking, caught and corrected.",
    "Isolated incident on one train; the crew was briefed.",
    "A rare combination of tickets; not worth a process change.",
]

NOTES = [
    "Called the customer back; they confirmed the details.",
    "Checked the booking system: the payment is there twice.",
    "Asked the depot for the train's log of that day.",
    "Customer sent a photo of the receipt.",
    "Looked up the timetable and the actual running times.",
    "Left a voicemail; will try again this afternoon.",
]

PASS_NOTES = {
    "needs_expertise": "Everything is gathered; this needs someone who knows the system well.",
    "needs_authority": "The customer asks for more than I can approve; please decide.",
    "needs_other_team": "This belongs with the team that handles it day to day.",
    "shift_change": "My shift ends; all facts are in the case, the customer expects a call.",
    "customer_asked": "The customer asked to speak to someone more senior.",
}

REOPEN_WHYS = [
    "The refund has still not arrived on my card.",
    "It happened again on today's train.",
    "The app still shows the old ticket.",
    "Nobody called me back as promised.",
    "The answer does not cover the second journey.",
]

CLOSE_WHYS = [
    "The customer confirmed all is well.",
    "No reply from the customer for a week after the fix.",
    "Survey answered: happy with the outcome.",
]
