"""Blocks as a whole: the list, creating, copying, templates, printing."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.roles import coach_required
from programs.blocks import services
from programs.blocks.files import MAX_FILE_BYTES, BlockFileError, block_export, block_import
from programs.blocks.forms import BlockCreateForm, BlockUploadForm, CopyForm
from programs.blocks.selectors import structured_block
from programs.models import Block
from programs.permissions import get_block_for_editing, get_block_for_viewing


@require_http_methods(["GET", "POST"])
@coach_required
def block_list(request: HttpRequest) -> HttpResponse:
    form = BlockCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        block = services.block_create(owner=request.user, **form.cleaned_data)
        return redirect("programs:builder", block_id=block.pk)
    visible = Block.objects.visible_to(request.user).select_related("owner")
    mine = [b for b in visible if b.owner_id == request.user.pk]
    return render(
        request,
        "programs/block_list.html",
        {
            "form": form,
            "blocks": [b for b in mine if not b.is_template],
            "my_templates": [b for b in mine if b.is_template],
            "templates": [b for b in visible if b.owner_id != request.user.pk],
            "upload_form": BlockUploadForm(),
        },
    )


@require_GET
@coach_required
def block_download(request: HttpRequest, block_id: int) -> HttpResponse:
    """The block as a file (docs/block-format.md) another coach can import."""
    block = structured_block(get_block_for_viewing(request.user, block_id).pk)
    response = HttpResponse(block_export(block), content_type="application/json")
    filename = f"{slugify(block.name) or 'block'}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
@coach_required
def block_upload(request: HttpRequest) -> HttpResponse:
    """Import a block file: all or nothing, every problem listed with its path."""
    form = BlockUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = block_import(data=upload.read(), owner=request.user)
        except BlockFileError as error:
            form.add_error("file", str(error))
        else:
            if result.ok:
                messages.success(request, " ".join(filter(None, [result.summary(), result.notice])))
                return redirect("programs:builder", block_id=result.block.pk)
    return render(
        request,
        "programs/block_upload.html",
        {"form": form, "result": result, "max_mb": MAX_FILE_BYTES // (1024 * 1024)},
    )


@require_POST
@coach_required
def block_copy(request: HttpRequest, block_id: int) -> HttpResponse:
    """Start a block from a template, or copy a block (one's own or a shared template)."""
    source = get_block_for_viewing(request.user, block_id)
    form = CopyForm(request.POST)
    form.is_valid()
    name = form.cleaned_data.get("name") or (
        source.name if source.is_template else f"{source.name} (copy)"
    )
    block = services.block_copy(block=source, owner=request.user, name=name)
    messages.success(request, f"“{block.name}” is yours to edit.")
    return redirect("programs:builder", block_id=block.pk)


@require_POST
@coach_required
def block_save_as_template(request: HttpRequest, block_id: int) -> HttpResponse:
    block = get_block_for_editing(request.user, block_id)
    template = services.block_copy(
        block=block, owner=request.user, name=f"{block.name} (template)", as_template=True
    )
    messages.success(request, f"Saved as the template “{template.name}”.")
    return redirect("programs:builder", block_id=template.pk)


@require_GET
@coach_required
def block_print(request: HttpRequest, block_id: int) -> HttpResponse:
    block = structured_block(get_block_for_viewing(request.user, block_id).pk)
    return render(request, "programs/block_print.html", {"program": block})
