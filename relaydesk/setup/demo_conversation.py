"""The demo's conversations: replies, questions that wait, customers writing back, surveys.

`plan()` weaves conversation steps into a story's plan (relaydesk.setup.demo), and
`Conversation` plays them through the actions the product itself uses: staff write with
`reply` (a question with `waiting=True`, rule 16), the customer's words arrive through
`customer_wrote` exactly as mail intake and the status page hand them over, and the survey is
answered with `answer_survey`, whose rating of 2 or less reopens the case to its solver. Every
solve already mails the customer (`solve`). A customer without an email address gets no mail
and no status link, so their conversation steps are skipped: staff phone them instead.
"""

import random
from datetime import timedelta

from relaydesk.cases import actions
from relaydesk.cases.customer_mail import case_subject
from relaydesk.cases.models import Case, Status
from relaydesk.setup import demo_conversation_words as words
from relaydesk.setup.demo_steps import Step
from relaydesk.timekeeping import now

ASK_SHARE = 0.2  # of stories: a question soon after opening, and the case waits for the answer
ASK_SHARE_REALTIME = 0.08  # the realtime lane mostly phones the customer instead
NEVER_ANSWERS = 0.08  # of questions: no answer; solved after the give-up reminder (7 days)
REPLY_SHARE = 0.4  # an update to the customer before the solve
NUDGE_SHARE = 0.1  # the customer writes again, unasked, before the solve
# Of last solves: the survey answered. About one in five solved cases, counting the customers
# without an email address (8%, no survey) and the solves too recent to be answered yet.
SURVEY_SHARE = 0.23
RATINGS = (5, 4, 3, 2, 1)
RATING_WEIGHTS = (46, 24, 12, 8, 10)
# rating: (chance of "what delighted you" words, chance of "what should we fix" words)
WORD_CHANCES = {5: (0.85, 0.15), 4: (0.5, 0.45), 3: (0.15, 0.75), 2: (0.05, 0.9), 1: (0.0, 0.95)}
BY_MAIL = 0.65  # the customer's words come by mail to the reply address; else the status page
TALK_KINDS = frozenset({"reply", "ask", "answer", "nudge", "survey"})
# Steps after which the case the demo holds is still right about its owner and status.
KEEP_CASE = frozenset({"note", "details", "reply", "ask", "survey"})


def plan(rng: random.Random, steps: list[Step], *, realtime: bool) -> list[Step]:
    """`steps` (a story's plan, opened first) with its conversation woven in."""
    steps = list(steps)
    scale = 0.12 if realtime else 1.0
    if rng.random() < (ASK_SHARE_REALTIME if realtime else ASK_SHARE):
        ask = Step("ask", _minutes(rng, 15, 90) * scale)
        if not realtime and rng.random() < NEVER_ANSWERS:
            given_up = Step("solve", _minutes(rng, 7.2 * 24 * 60, 8 * 24 * 60))
            return [steps[0], ask, given_up, *[s for s in steps if s.kind == "close"]]
        steps[1:1] = [ask, Step("answer", _answer_delay(rng, realtime))]
    solves = [index for index, step in enumerate(steps) if step.kind == "solve"]
    if not solves:
        return steps
    survey = _survey(rng) if rng.random() < SURVEY_SHARE else []
    steps[solves[-1] + 1 : solves[-1] + 1] = survey
    if rng.random() < REPLY_SHARE:
        _before(rng, steps, solves[0], "reply")
    if rng.random() < NUDGE_SHARE:
        _before(rng, steps, solves[0], "nudge")
    return steps


def _minutes(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(minutes=rng.uniform(low, high))


def _answer_delay(rng: random.Random, realtime: bool) -> timedelta:
    """How long the customer takes to answer: mostly within hours, now and then days."""
    if realtime:
        return _minutes(rng, 3, 30)
    band = rng.choices([(20, 240), (240, 24 * 60), (24 * 60, 3 * 24 * 60)], weights=[6, 3, 1])[0]
    return _minutes(rng, *band)


def _before(rng: random.Random, steps: list[Step], index: int, kind: str) -> None:
    """A `kind` step before `steps[index]`, taking part of its waiting time: the story's
    timing stays as it was."""
    later = steps[index]
    step = Step(kind, later.after * rng.uniform(0.3, 0.8))
    later.after -= step.after
    steps.insert(index, step)


def _survey(rng: random.Random) -> list[Step]:
    """The survey answered some time after the solve; a low rating reopens the case, and its
    solver apologises and solves it again."""
    rating = rng.choices(RATINGS, weights=RATING_WEIGHTS)[0]
    steps = [Step("survey", _minutes(rng, 30, 30 * 60), rating=rating)]
    if rating <= actions.UNHAPPY_RATING:
        steps.append(Step("reply", _minutes(rng, 20, 180), reason="sorry"))
        steps.append(Step("solve", _minutes(rng, 120, 600)))
    return steps


class Conversation:
    """Plays the conversation steps of the demo's stories through the real actions."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.mails = 0  # the customer's mails so far, for their Message-IDs
        self.asked: dict[int, list[str]] = {}  # case id: the answers to the question asked

    def play(self, case: Case, step: Step) -> Case | None:
        """`step` on `case`; the case as it is now when the step moved its deadline, tickle
        time, owner or status (the demo's sweep planning needs to know), else None."""
        if not case.customer.email or case.owner is None:
            return None
        slug = case.category.slug
        if step.kind == "reply" and case.is_open:
            if step.reason == "sorry":
                body = self.rng.choice(words.SORRY)
            else:
                body = words.pick(self.rng, words.REPLIES, slug)
            actions.reply(case, acting=case.owner, body=body)
        elif step.kind == "ask" and case.is_open:
            question, self.asked[case.pk] = words.pick(self.rng, words.QUESTIONS, slug)
            actions.reply(case, acting=case.owner, body=question, waiting=True)
        elif step.kind in ("answer", "nudge") and case.is_open:
            answers = self.asked.pop(case.pk, None) if step.kind == "answer" else None
            body = self.rng.choice(answers) if answers else words.pick(self.rng, words.NUDGES, slug)
            self._writes(case, body)
            return _fresh(case)
        elif step.kind == "survey" and case.status == Status.SOLVED:
            return self._answers_survey(case, step.rating)
        return None

    def writes_back(self, case: Case, why: str) -> Case:
        """The customer is not happy with a solve and says so: by mail or on the status page
        while the reopen window lasts (their words reopen it), else on the phone to staff."""
        if case.customer.email and actions.reopens_when_the_customer_writes(case, now()):
            self._writes(case, why)
            return _fresh(case)
        return actions.reopen(case, acting=None, why=why, by_customer=True)

    def _writes(self, case: Case, body: str) -> None:
        """The customer's words, as mail intake hands over a mail to the case's reply address,
        or as the status page hands over its form."""
        email = case.customer.email
        if self.rng.random() < BY_MAIL:
            self.mails += 1
            actions.customer_wrote(
                case,
                body=body,
                message_id=f"<demo.{self.mails}@{email.rpartition('@')[2]}>",
                subject=f"Re: {case_subject(case)}",
                sender=email,
                via="reply_address",
            )
        else:
            actions.customer_wrote(case, body=body, sender=email, via="status_page")

    def _answers_survey(self, case: Case, rating: int) -> Case | None:
        slug = case.category.slug
        delighted_chance, fix_chance = WORD_CHANCES[rating]
        delighted = ""
        if self.rng.random() < delighted_chance:
            delighted = words.pick(self.rng, words.DELIGHTED, slug)
        fix = ""
        if self.rng.random() < fix_chance:
            unhappy = rating <= actions.UNHAPPY_RATING
            fix = words.pick(self.rng, words.UNHAPPY if unhappy else words.FIX, slug)
        actions.answer_survey(
            case, rating=rating, delighted=delighted, fix=fix, opening=case.opening
        )
        return _fresh(case) if rating <= actions.UNHAPPY_RATING else None


def _fresh(case: Case) -> Case:
    return Case.objects.select_related("owner", "tier", "category", "customer").get(pk=case.pk)
