"""Pages of the recruitment app. Desk pages live under /desk/recruitment/, public ones under /recruitment/."""

from django.urls import path

from hamroh.recruitment import views

app_name = "recruitment"

urlpatterns = [
    path("recruitment/jobs/", views.jobs, name="jobs"),
    path("recruitment/jobs/<int:pk>/", views.job, name="job"),
    path("recruitment/jobs/<int:pk>/apply/", views.apply, name="apply"),
    path("recruitment/my/", views.my_applications, name="my_applications"),
    path("recruitment/my/renew/", views.renew_roster, name="renew_roster"),
    path("recruitment/my/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("recruitment/my/contracts/<int:pk>/", views.my_contract_scan, name="my_contract_scan"),
    path("desk/recruitment/", views.desk, name="desk"),
    path("desk/recruitment/employers/", views.employers, name="employers"),
    path("desk/recruitment/employers/new/", views.employer_edit, name="employer_new"),
    path("desk/recruitment/employers/<int:pk>/", views.employer_edit, name="employer"),
    path(
        "desk/recruitment/employers/<int:pk>/status/",
        views.employer_status,
        name="employer_status",
    ),
    path("desk/recruitment/job-orders/", views.job_orders, name="job_orders"),
    path("desk/recruitment/job-orders/new/", views.job_order_edit, name="job_order_new"),
    path("desk/recruitment/job-orders/<int:pk>/", views.job_order, name="job_order"),
    path("desk/recruitment/job-orders/<int:pk>/edit/", views.job_order_edit, name="job_order_edit"),
    path(
        "desk/recruitment/job-orders/<int:pk>/close/",
        views.job_order_close,
        name="job_order_close",
    ),
    path("desk/recruitment/job-orders/<int:pk>/send/", views.send_shortlist, name="send_shortlist"),
    path("desk/recruitment/roster/", views.roster, name="roster"),
    path("desk/recruitment/roster/shortlist/", views.roster_shortlist, name="roster_shortlist"),
    path("desk/recruitment/applications/<int:pk>/", views.application, name="application"),
    path(
        "desk/recruitment/applications/<int:pk>/action/",
        views.application_action,
        name="application_action",
    ),
    path(
        "desk/recruitment/contracts/<int:pk>/",
        views.contract_scan,
        name="contract_scan",
    ),
    path(
        "desk/recruitment/contracts/<int:pk>/attach/",
        views.attach_contract_scan,
        name="attach_contract_scan",
    ),
    path(
        "desk/recruitment/people/<str:public_id>/",
        views.person_applications,
        name="person_applications",
    ),
]
