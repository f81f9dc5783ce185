"""Find anything and earlier cases like this (issue 17), included from web/urls.py."""

from django.urls import path

from relaydesk.web.views import customers, search, similar

urlpatterns = [
    path("search/", search.search_page, name="search"),
    path("customers/<int:customer_id>/", customers.customer_page, name="customer"),
    path("cases/<str:ref>/similar/", similar.similar_section, name="case-similar"),
    path("cases/<str:ref>/similar/pick/", similar.pick_problem, name="case-similar-pick"),
]
