"""/blocks/: the block library and the builder (namespace ``programs``; programs/urls.py
mounts it with the assignment page of programs.schedule)."""

from django.urls import path

from programs.blocks.views import blocks, builder

urlpatterns = [
    path("", blocks.block_list, name="list"),
    path("import/", blocks.block_upload, name="upload"),
    path("<int:block_id>/", builder.builder, name="builder"),
    path("<int:block_id>/download/", blocks.block_download, name="download"),
    path("<int:block_id>/copy/", blocks.block_copy, name="copy"),
    path("<int:block_id>/save-template/", blocks.block_save_as_template, name="save_template"),
    path("<int:block_id>/print/", blocks.block_print, name="print"),
    path("<int:block_id>/progression/", builder.apply_progression, name="progression"),
    path("<int:block_id>/weeks/<int:number>/", builder.week_update, name="week_update"),
    path("<int:block_id>/weeks/<int:number>/copy/", builder.week_copy, name="week_copy"),
    path("<int:block_id>/weeks/<int:number>/sessions/", builder.session_add, name="session_add"),
    path("sessions/<int:session_id>/", builder.session_update, name="session_update"),
    path("sessions/<int:session_id>/delete/", builder.session_delete, name="session_delete"),
    path("sessions/<int:session_id>/copy/", builder.session_copy, name="session_copy"),
    path(
        "sessions/<int:session_id>/prescriptions/",
        builder.prescription_add,
        name="prescription_add",
    ),
    path("prescriptions/<int:prescription_id>/", builder.prescription_update, name="rx_update"),
    path(
        "prescriptions/<int:prescription_id>/delete/",
        builder.prescription_delete,
        name="rx_delete",
    ),
    path("prescriptions/<int:prescription_id>/move/", builder.prescription_move, name="rx_move"),
    path("prescriptions/restore/", builder.prescription_restore, name="rx_restore"),
]
