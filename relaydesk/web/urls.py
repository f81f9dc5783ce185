"""The staff pages, every one of them (the customer's pages are in relaydesk.portal)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from relaydesk.web.views import (
    case,
    due_soon,
    goodwill,
    intake,
    lists,
    merging,
    notifications,
    people,
    phrases,
    privacy,
    quarantine,
    tone,
    trail,
)

login_view = auth_views.LoginView.as_view(
    template_name="web/login.html", redirect_authenticated_user=True
)

urlpatterns = [
    path("login/", login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", lists.my_cases, name="my-cases"),
    path("queue/", lists.queue, name="queue"),
    path("intake/", intake.intake, name="intake"),
    path("intake/customers/", intake.customer_search, name="intake-customers"),
    path("intake/customers/<int:customer_id>/", intake.choose_customer, name="intake-customer"),
    path("intake/form/", intake.category_form, name="intake-form"),
    path("intake/realtime/", intake.realtime_notice, name="intake-realtime"),
    path("intake/opened/<str:ref>/", intake.opened, name="intake-opened"),
    path("cases/<str:ref>/", case.case_page, name="case"),
    path("cases/<str:ref>/note/", case.add_note, name="case-note"),
    path("cases/<str:ref>/reply/", case.reply, name="case-reply"),
    path("cases/<str:ref>/take/", case.take, name="case-take"),
    path("cases/<str:ref>/pass/", case.pass_case, name="case-pass"),
    path("cases/<str:ref>/solve/", case.solve, name="case-solve"),
    path("cases/<str:ref>/reopen/", case.reopen, name="case-reopen"),
    path("cases/<str:ref>/details/", case.update_details, name="case-details"),
    path("cases/<str:ref>/rotate-link/", case.rotate_link, name="case-rotate-link"),
    path("cases/<str:ref>/goodwill/", goodwill.give, name="case-goodwill"),
    path("cases/<str:ref>/dismiss/", merging.dismiss, name="case-dismiss"),
    path("cases/<str:ref>/merge/", merging.merge_case, name="case-merge"),
    path("cases/<str:ref>/merge-customer/", merging.merge_customer, name="case-merge-customer"),
    path("goodwill/", goodwill.goodwill_page, name="goodwill"),
    path("goodwill/<int:gesture_id>/approve/", goodwill.approve, name="goodwill-approve"),
    path("goodwill/<int:gesture_id>/decline/", goodwill.decline, name="goodwill-decline"),
    path("people/", people.directory, name="people"),
    path("people/<str:username>/", people.person, name="person"),
    path("people/<str:username>/career/", trail.career_page, name="career"),
    path("trail/", trail.trail_start, name="trail"),
    path("trail/<str:month>/", trail.month_page, name="trail-month"),
    path("trail/<str:month>/trail.csv", trail.month_csv, name="trail-csv"),
    path("trail/<str:month>/buck/", trail.buck_page, name="trail-buck"),
    path("trail/<str:month>/delighted/", trail.delighted_page, name="trail-delighted"),
    path("trail/<str:month>/executives/", trail.scorecard_page, name="trail-executives"),
    path(
        "trail/<str:month>/people/<str:username>/",
        trail.person_month_page,
        name="trail-person",
    ),
    path("phrases/", phrases.phrase_list, name="phrases"),
    path("phrases/add/", phrases.phrase_add, name="phrase-add"),
    path("phrases/pick/", phrases.phrase_pick, name="phrase-pick"),
    path("phrases/<int:phrase_id>/edit/", phrases.phrase_edit, name="phrase-edit"),
    path("phrases/<int:phrase_id>/delete/", phrases.phrase_delete, name="phrase-delete"),
    path("tone-check/", tone.tone_check, name="tone-check"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.mark_notifications_read, name="notifications-read"),
    path("due-soon/", due_soon.due_soon_page, name="due-soon"),
    path("", include("relaydesk.web.problem_urls")),  # /problems/… (issue 17)
    path("", include("relaydesk.web.finder_urls")),  # /search/, /customers/…, similar cases
    path("privacy/reveal/", privacy.reveal_contact, name="privacy-reveal"),
    path("mail/quarantine/", quarantine.quarantine_page, name="mail-quarantine"),
    path("mail/quarantine/<int:entry_id>/", quarantine.quarantine_act, name="mail-quarantine-act"),
    path(
        "mail/attachments/<int:attachment_id>/",
        quarantine.attachment_download,
        name="mail-attachment",
    ),
]
