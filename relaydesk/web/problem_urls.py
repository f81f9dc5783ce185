"""The problems pages' addresses (issue 17), included from web/urls.py."""

from django.urls import path

from relaydesk.web.views import problems

urlpatterns = [
    path("problems/", problems.problems_page, name="problems"),
    path("problems/<int:problem_id>/", problems.problem_page, name="problem"),
    path("problems/<int:problem_id>/owner/", problems.set_owner, name="problem-owner"),
    path("problems/<int:problem_id>/fixed/", problems.mark_fixed, name="problem-fixed"),
    path("problems/<int:problem_id>/reopen/", problems.reopen, name="problem-reopen"),
    path("cases/<str:ref>/link-problem/", problems.link_case, name="case-link-problem"),
]
