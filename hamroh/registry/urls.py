"""Pages of the registry app. Desk pages live under /desk/registry/, public ones under /registry/."""

from django.urls import path

from hamroh.registry import views

app_name = "registry"

urlpatterns = [
    path("registry/register/", views.register, name="register"),
    path("registry/welcome/", views.welcome, name="welcome"),
    path("registry/sign-in/", views.sign_in, name="sign_in"),
    path("registry/sign-out/", views.sign_out, name="sign_out"),
    path("registry/me/", views.me, name="me"),
    path("registry/me/correction/", views.ask_correction, name="ask_correction"),
    path("desk/registry/people/", views.people, name="people"),
    path("desk/registry/people/new/", views.register_at_desk, name="register_at_desk"),
    path("desk/registry/imports/", views.imports, name="imports"),
    path("desk/registry/imports/<int:pk>/", views.import_detail, name="import"),
    path("desk/registry/imports/<int:pk>/import/", views.import_commit, name="import_commit"),
    path("desk/registry/imports/<int:pk>/discard/", views.import_discard, name="import_discard"),
    path(
        "desk/registry/imports/<int:pk>/duplicates/<int:group>/merge/",
        views.import_merge,
        name="import_merge",
    ),
    path(
        "desk/registry/imports/<int:pk>/duplicates/<int:group>/undo/",
        views.import_unmerge,
        name="import_unmerge",
    ),
    path("desk/registry/people/<str:public_id>/", views.person_detail, name="person"),
    path(
        "desk/registry/people/<str:public_id>/registered/",
        views.registered,
        name="registered",
    ),
    path("desk/registry/people/<str:public_id>/edit/", views.edit_person, name="edit"),
    path("desk/registry/people/<str:public_id>/name/", views.change_name, name="change_name"),
    path(
        "desk/registry/people/<str:public_id>/corrections/<int:pk>/",
        views.resolve_correction,
        name="resolve_correction",
    ),
    path("desk/registry/people/<str:public_id>/merge/", views.merge, name="merge"),
    path(
        "desk/registry/people/<str:public_id>/merges/<int:pk>/undo/",
        views.undo_merge,
        name="undo_merge",
    ),
    path(
        "desk/registry/people/<str:public_id>/new-code/",
        views.reissue_code,
        name="reissue_code",
    ),
]
