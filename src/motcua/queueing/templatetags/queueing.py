from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def queue_console(context):
    """The officer's queue console (empty for officers of centers without a queue)."""
    from motcua.queueing.console import render_console

    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    return render_console(request)
