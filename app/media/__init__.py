"""Media: image uploads shared by every feature (request photos, wish photos, report files).

An upload is checked by content, stripped of metadata and re-encoded (``images``), written under
a random key (``storage``) and recorded as a :class:`~app.media.models.Media` row owned by the
uploader. Features attach uploads to their own records with ``services.attach_media`` and say
who may see them with ``policies.register_visibility``.
"""
