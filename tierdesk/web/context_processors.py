from tierdesk.web.navigation import menu_for


def navigation(request):
    return {"menu": menu_for(request.user) if hasattr(request, "user") else []}
