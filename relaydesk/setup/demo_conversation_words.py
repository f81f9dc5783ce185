"""The demo's conversations in words: Northline Rail's staff and passengers writing to each other.

Plain data for relaydesk.setup.demo_conversation. Each table maps a category slug of
examples/demo-company.toml to its own lines; the "" entry holds lines that fit any category,
and a line is drawn from both together (`pick`), so a lost-property case never hears about an
app crash. Passengers write British English, as a regional operator's customers would.
"""

import random
from typing import TypeVar

T = TypeVar("T")
ANY = ""

REPLIES = {
    ANY: [
        "Thank you for your patience. I've gone through everything you sent and I'm on it; "
        "you'll hear from me again as soon as it's sorted.",
        "Thanks for getting in touch, and sorry for the trouble. I've checked our records and "
        "can see what went wrong; I'm putting it right now.",
    ],
    "tickets": [
        "I can see both payments on our side and have refunded the second one; it should "
        "reach your account within three to five working days.",
        "The ticket was issued with the wrong date by our system, not by you. I'm correcting "
        "it now and will send you the new e-ticket shortly.",
        "I've traced the transaction at the machine: the payment did go through, so I'm "
        "arranging a refund rather than asking you to queue at the ticket office.",
    ],
    "refunds": [
        "According to our records your train was 47 minutes late, so you qualify for half "
        "the fare back. I've approved the claim; the payment follows within five working days.",
        "The refund went to the card we had on file, which has since expired. I've asked our "
        "payments team to send it to your current card instead.",
        "Sorry it took this long: your refund was stuck in a manual check. I've pushed it "
        "through today.",
    ],
    "delays": [
        "I'm very sorry about your journey. The train was held by a signal failure, and the "
        "announcements on board clearly fell short; I've passed your comments to the crew's "
        "manager.",
        "I've checked the running times: your connection left two minutes before you "
        "arrived, so you're entitled to compensation. I'm sorting that out now.",
        "The replacement bus contractor was short of drivers that morning. I've logged your "
        "journey so it counts towards compensation.",
    ],
    "accessibility": [
        "I'm so sorry the assistance wasn't there for you. I've spoken to the station team "
        "and rebooked assistance for your return, with a note to meet you at the train door.",
        "The lift is being repaired this week; until then the staff at the station will take "
        "you to the step-free route. I've made sure they know you're coming.",
    ],
    "lost-property": [
        "Good news: a bag matching your description was handed in at the depot this morning. "
        "I've asked them to send it to your station, where you can collect it with your ID.",
        "I've checked the lost-property log for that service and sent your description to "
        "the cleaning team at the terminus. I'll let you know as soon as I hear back.",
    ],
    "season-tickets": [
        "I've reloaded your annual ticket onto the card from our side. Please hold it at a "
        "ticket machine once so the card picks up the change; the gates should then open.",
        "Your cancellation did reach us, but the payment provider charged you anyway. I've "
        "started the refund and flagged it so it doesn't happen again next month.",
    ],
    "website-app": [
        "This is a known fault in app version 6.2 on some Android phones and a fix is on its "
        "way. In the meantime your tickets are also in the confirmation email.",
        "I've reset your login on our side. Could you try again with the link in the email "
        "we've just sent? It's valid for an hour.",
    ],
    "complaints": [
        "Thank you for taking the time to write. That isn't the standard we expect of our "
        "staff; I've shared your account with the team leader, who will follow it up.",
        "That service should run with six carriages and only had three that evening. I've "
        "passed your complaint to the planning team, with the date and time.",
    ],
}

# A reply that asks the customer something (the case then waits for the answer, rule 16),
# each with the answers its customers give.
QUESTIONS: dict[str, list[tuple[str, list[str]]]] = {
    ANY: [
        (
            "Before I go further: is the phone number on your case still the best way to "
            "reach you during the day?",
            [
                "Yes, that's the right number. Mornings are best.",
                "Yes, please ring me on that one. I'm free after five most days.",
                "That's my work phone, so email is easier for me if you don't mind.",
            ],
        ),
    ],
    "tickets": [
        (
            "Could you send me your booking reference and the last four digits of the card "
            "you paid with? Then I can find both payments.",
            [
                "The booking reference is K7P2QX and the card ends in 4417.",
                "Card ends 0921. The reference on the e-ticket is M4R8TZ.",
            ],
        ),
        (
            "Which station was the machine at, and roughly what time did you use it?",
            [
                "Hilversum, the machine on platform 2, just before half seven in the morning.",
                "Leiden, around quarter past six on Saturday evening.",
            ],
        ),
    ],
    "refunds": [
        (
            "Could you tell me when you booked, and how you paid? Then I can find it in our "
            "system straight away.",
            [
                "Sorry for the slow reply, I've been away. I booked in the app on the Sunday "
                "and paid with my phone.",
                "At the ticket office at Arnhem, last Wednesday, by debit card.",
            ],
        ),
        (
            "To pay the refund I need the last four digits of the card you'd like it on. "
            "Could you reply with those? Please don't send the full card number.",
            [
                "It ends in 0921. Please use that one; the old card was cancelled last month.",
                "The last four digits are 5583. Many thanks.",
            ],
        ),
        (
            "Which train were you on, and where did you change? With the times I can check "
            "the running records for your claim.",
            [
                "The 08:16 from Zwolle, changing at Amersfoort. My connection had long gone "
                "by the time we got in.",
                "The 17:45 from Rotterdam Centraal, straight through to Utrecht.",
            ],
        ),
    ],
    "delays": [
        (
            "Which train were you on, and where did you change? With the times I can check "
            "the running records.",
            [
                "I was on the 07:42 from Utrecht Centraal and changed at Amersfoort.",
                "The 18:04 towards Leiden. We sat outside the station for nearly an hour.",
            ],
        ),
        (
            "Could you tell me the date and the departure time? With those I can see what "
            "happened that day.",
            [
                "Thursday the 3rd, the 07:12 from Deventer.",
                "Last Monday, the first train after eight from Haarlem.",
            ],
        ),
    ],
    "accessibility": [
        (
            "Could you tell me which station you were travelling from and the time your "
            "assistance was booked for?",
            [
                "It was booked for 09:15 at Zwolle. Nobody came and I had to ask another "
                "passenger to help me off.",
                "From Deventer, booked for the 10:30 departure. I use a powered wheelchair.",
            ],
        ),
    ],
    "lost-property": [
        (
            "Could you describe it for me: colour, brand and anything distinctive? And "
            "roughly which carriage were you sitting in?",
            [
                "Dark blue, with my initials on a luggage tag. I was in the second carriage "
                "from the front, I think.",
                "It's quite distinctive: bright yellow, with a cat sticker on it. I sat near "
                "the doors in the rear carriage.",
            ],
        ),
    ],
    "season-tickets": [
        (
            "Could you send me the number printed on the back of your card? It starts with 3528.",
            [
                "The number on the back is 3528 0041 7720 1186.",
                "3528 0193 5561 2047. Thank you for looking into it.",
            ],
        ),
    ],
    "website-app": [
        (
            "Which phone are you using, and which version of the app? You'll find the "
            "version under Settings, then About.",
            [
                "Samsung Galaxy A52, app version 6.2.1. I've already tried reinstalling it twice.",
                "An iPhone 12 with app 6.1.4.",
            ],
        ),
    ],
    "complaints": [
        (
            "Could you tell me the date, the departure time and the direction of travel? "
            "That lets me find the crew who were on duty.",
            [
                "It was Tuesday evening, the 18:34 towards Groningen.",
                "The early train on Monday, the 06:52 from Nijmegen.",
            ],
        ),
    ],
}

# The customer writes again on an open case without being asked.
NUDGES = {
    ANY: [
        "Hello, just checking whether there's any news on this? I haven't heard anything "
        "since I wrote.",
        "Any update? I'm travelling again next week and would like to know where I stand.",
        "I rang the helpline this morning and was told to wait for an email. Nothing so far.",
        "Is there anything else you need from me? Happy to send more details.",
        "Still waiting to hear back. It's been a few days now and it's rather frustrating.",
        "One more detail I forgot: I was travelling with my daughter, who was on the same booking.",
    ],
    "refunds": ["Sorry to chase, but the money still hasn't come back to my account."],
    "delays": ["Just to add: the same thing happened again on this morning's train."],
    "lost-property": ["Has anyone handed it in yet? It has my house keys in it as well."],
    "season-tickets": ["I'm buying a day ticket every morning until this is fixed."],
}

# The owner's reply after the survey reopened the case with a low rating.
SORRY = [
    "Thank you for telling us honestly, and I'm sorry we got it wrong. I've reopened your "
    "case and I'm looking at it again myself today.",
    "I'm sorry our answer didn't put things right. I've picked your case up again and will "
    "come back to you by tomorrow with a proper fix.",
    "You're right, and I apologise: we missed part of your question. I'm sorting out the "
    "rest of it now.",
    "Sorry we let you down again. I've checked with the payments team and the first attempt "
    "failed on our side; I've sent it again and will confirm once it's through.",
    "Thanks for the feedback. I've reopened the case and asked the station team to ring you "
    "directly.",
]

# The survey: what delighted the passenger (mostly from ratings 4 and 5) ...
DELIGHTED = {
    ANY: [
        "Quick, friendly and sorted in one go. Didn't expect that from a rail company, to be "
        "honest!",
        "Someone actually read my email properly and answered every point. Much appreciated.",
        "Kept me updated the whole way through. Lovely service.",
        "A clear explanation of what went wrong and a proper apology, without a fight.",
        "No queuing at the ticket office, no forms: it was all done by email. Spot on.",
        "You said when I'd hear back and I did. That alone deserves five stars.",
        "Felt like I was talking to a person, not a script.",
        "Helpful, honest and fast. Couldn't ask for more.",
        "I was rather cross when I wrote in and you handled it with patience. Thank you.",
        "Straight to the point, and no passing me from pillar to post.",
        "Sorted before the weekend, as promised. Brilliant.",
    ],
    "tickets": [
        "The duplicate charge was back on my card the next day. Brilliant.",
        "New e-ticket with the right date within the hour. Thank you!",
    ],
    "refunds": [
        "The refund arrived in two days, to the right card this time. Thanks for chasing it.",
        "Compensation paid without me having to fill in another form.",
    ],
    "delays": [
        "You explained what actually happened that morning instead of a vague 'operational "
        "reasons'. Thank you.",
        "The compensation came through quickly and the apology felt genuine.",
    ],
    "accessibility": [
        "Assistance was waiting at the platform on my return journey, exactly as promised.",
        "The station staff knew I was coming and the ramp was ready. That's how it should be.",
    ],
    "lost-property": [
        "You found my bag! I'd given up hope. Thank you to whoever handed it in and to you.",
        "My son has his teddy back and is over the moon. Thank you so much.",
    ],
    "season-tickets": [
        "Season ticket fixed before my Monday commute. Saved my week.",
        "The gates open again and I didn't have to go to the ticket office. Perfect.",
    ],
    "website-app": [
        "The app works again and the instructions were easy to follow.",
        "Back into my account in five minutes, with a real person helping.",
    ],
    "complaints": [
        "My complaint was taken seriously and I was told what would change. Good to hear.",
        "A voucher I didn't expect. A nice gesture after a rotten journey.",
    ],
}

# ... and what we should fix (ratings 3 and 4, now and then a 5).
FIX = {
    ANY: [
        "Quicker first reply: it was two days before I heard anything.",
        "Ask for all the details in the first email rather than one at a time.",
        "Tell people up front how long it will take.",
        "The automatic email could say who is dealing with my case.",
        "It shouldn't take an email to sort something this simple.",
    ],
    "tickets": [
        "Half the ticket machines at small stations don't take cards.",
        "Let me change a booking in the app instead of having to write in.",
    ],
    "refunds": [
        "The delay repay form should accept journeys with a change of train.",
        "The refund took a fortnight to arrive. That's too long.",
    ],
    "delays": [
        "Announcements during delays. Nobody told us anything for forty minutes.",
        "Replacement buses should actually turn up at the times on the poster.",
    ],
    "accessibility": [
        "Let assistance staff know when a train is re-timed.",
        "Put lift repairs in the journey planner, not just on a sign at the station.",
    ],
    "lost-property": ["Make the lost-property form easier to find on the website."],
    "season-tickets": ["Renewals shouldn't need a phone call every year."],
    "website-app": [
        "The app logs me out every week; please fix that.",
        "The QR code is tiny on my phone and the gates struggle to read it.",
    ],
    "complaints": [
        "More carriages on the evening services, please. Standing all the way is no fun.",
        "Clean toilets on the early trains. Every single time.",
    ],
}

# A rating of 2 or less: what is still wrong, in the words that reopen the case.
UNHAPPY = {
    ANY: [
        "Nobody called me back, although the email said someone would.",
        "The reply felt copied and pasted. It didn't answer my question at all.",
        "Closing my case without solving it is not good enough.",
    ],
    "tickets": [
        "The fine has not been cancelled; I've now had a reminder letter.",
        "I've been charged twice again for the same ticket.",
    ],
    "refunds": [
        "The refund still hasn't arrived. I was told five days and it's been over a week.",
        "You answered the first journey but ignored the second one, which was the worse delay.",
    ],
    "delays": [
        "A voucher doesn't cover the taxi I had to take. I'd like the taxi fare back.",
        "Same delay again this week, and the answer was just 'sorry'.",
    ],
    "accessibility": [
        "I was told assistance was booked for my return, and again nobody came.",
    ],
    "lost-property": [
        "My bag was supposed to be at Utrecht Centraal, but the office there knows nothing "
        "about it.",
    ],
    "season-tickets": [
        "My season ticket still won't open the gates. I've bought day tickets all week.",
        "I've been charged for the cancelled renewal again this month.",
    ],
    "website-app": [
        "The app still crashes as soon as I open my tickets. Reinstalling didn't help.",
    ],
    "complaints": [
        "A form reply to a serious complaint. I'd like to hear from a manager.",
    ],
}


def pick(rng: random.Random, table: dict[str, list[T]], slug: str) -> T:
    """One line for a case of category `slug`: its own lines and the general ones together."""
    return rng.choice(table.get(slug, []) + table[ANY])
