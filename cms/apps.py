from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Guidance pages"

    def ready(self) -> None:
        from protocols.models import ProtocolVersion
        from protocols.signals import protocol_version_published

        from .signals import on_protocol_version_published

        # Publishing a protocol version makes its guidance page; protocols knows nothing of cms.
        protocol_version_published.connect(
            on_protocol_version_published,
            sender=ProtocolVersion,
            dispatch_uid="cms_guidance_on_protocol_version_published",
        )
        from django.utils.translation import gettext_lazy

        from protocols import hooks

        # The draft preview links to its guidance pages (protocols never names cms's URLs).
        hooks.register_draft_preview(
            label=gettext_lazy("The guidance pages as the public will see them"),
            url_name="cms:draft_guidance_preview",
        )
