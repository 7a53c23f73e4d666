from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    """The rights desk (权益服务). Depends on core, unions and notifications only."""

    name = "tongxue.rights"
    label = "rights"
    verbose_name = _("Rights desk")
