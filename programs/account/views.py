"""A person's own data: download a copy of it, or delete the account with it."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from programs.account.forms import AccountDeleteForm
from programs.account.services import account_data_zip, account_delete


@require_GET
def download(request: HttpRequest) -> HttpResponse:
    """Everything RunStrong keeps about the person, as a zip. Reading changes nothing, so
    this is a GET (a link the account page offers as a button)."""
    response = HttpResponse(account_data_zip(user=request.user), content_type="application/zip")
    filename = f"runstrong-data-{timezone.now():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    """Say what goes, ask for the password, then delete, sign out and leave."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account_delete(user=request.user)
        logout(request)
        messages.success(request, "Your account and your data are deleted. Goodbye.")
        return redirect("home")
    return render(request, "programs/account_delete.html", {"form": form})
