"""Pages of the assistance app. Desk pages live under /desk/assistance/, public ones under /assistance/."""

from django.urls import path

from hamroh.assistance import knowledge_views, task_views, views

app_name = "assistance"

urlpatterns = [
    path("assistance/help/", views.report, name="report"),
    path("assistance/follow-up/", views.follow_up, name="follow_up"),
    path("assistance/knowledge/", knowledge_views.knowledge_index, name="knowledge"),
    path("assistance/knowledge/ask/", knowledge_views.consultation, name="consultation"),
    path(
        "assistance/knowledge/<slug:slug>/",
        knowledge_views.knowledge_article,
        name="knowledge_article",
    ),
    path("assistance/telegram/<str:secret>/", views.telegram_webhook, name="telegram_webhook"),
    path("desk/assistance/", views.queue, name="queue"),
    path("desk/assistance/console/", views.console, name="console"),
    path("desk/assistance/dashboard/", views.dashboard, name="dashboard"),
    path("desk/assistance/export.csv", views.export_csv, name="export"),
    path("desk/assistance/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("desk/assistance/tasks/", task_views.my_tasks, name="my_tasks"),
    path("desk/assistance/tasks/<int:pk>/done/", task_views.task_done, name="task_done"),
    path("desk/assistance/knowledge/", knowledge_views.article_list, name="articles"),
    path("desk/assistance/knowledge/new/", knowledge_views.article_edit, name="article_new"),
    path("desk/assistance/knowledge/<int:pk>/", knowledge_views.article_edit, name="article_edit"),
    path(
        "desk/assistance/knowledge/<int:pk>/publish/",
        knowledge_views.article_publish,
        name="article_publish",
    ),
    path("desk/assistance/cases/<int:pk>/", views.case_detail, name="case"),
    path("desk/assistance/cases/<int:pk>/assign/", views.assign, name="assign"),
    path("desk/assistance/cases/<int:pk>/note/", views.note, name="note"),
    path("desk/assistance/cases/<int:pk>/urgency/", views.urgency, name="urgency"),
    path("desk/assistance/cases/<int:pk>/answers/", views.answers, name="answers"),
    path("desk/assistance/cases/<int:pk>/transfer/", views.transfer, name="transfer"),
    path(
        "desk/assistance/cases/<int:pk>/transfer/answer/",
        views.transfer_answer,
        name="transfer_answer",
    ),
    path("desk/assistance/cases/<int:pk>/refer/", views.refer, name="refer"),
    path(
        "desk/assistance/cases/<int:pk>/referral/answer/",
        views.referral_answer,
        name="referral_answer",
    ),
    path("desk/assistance/cases/<int:pk>/attach/", views.attach, name="attach"),
    path("desk/assistance/cases/<int:pk>/reply/", views.reply, name="reply"),
    path("desk/assistance/cases/<int:pk>/tasks/", task_views.add_task, name="add_task"),
    path("desk/assistance/cases/<int:pk>/closure/", views.closure, name="closure"),
    path("desk/assistance/files/<int:pk>/", views.attachment, name="attachment"),
]
