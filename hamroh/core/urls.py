from django.urls import path

from hamroh.core import views

app_name = "core"

urlpatterns = [
    path("", views.portal, name="portal"),
    path("language/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("desk/login/", views.LoginView.as_view(), name="login"),
    path("desk/logout/", views.logout_view, name="logout"),
    path("desk/", views.desk, name="desk"),
    path("desk/account/", views.account, name="account"),
    path("desk/agencies/", views.agency_list, name="agency_list"),
    path("desk/agencies/new/", views.agency_edit, name="agency_new"),
    path("desk/agencies/<int:pk>/", views.agency_edit, name="agency_edit"),
    path("desk/users/", views.user_list, name="user_list"),
    path("desk/users/new/", views.user_edit, name="user_new"),
    path("desk/users/<int:pk>/", views.user_edit, name="user_edit"),
    path("desk/users/<int:pk>/password/", views.user_set_password, name="user_set_password"),
    path("desk/audit/", views.audit_trail, name="audit"),
    path("desk/audit/verify/", views.audit_verify, name="audit_verify"),
]
