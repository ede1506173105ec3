from django.utils.text import slugify


def unique_slug(model, text: str, max_length: int = 100) -> str:
    """A slug for `text` not yet used by `model`: `name`, `name-2`, `name-3` …"""
    base = slugify(text)[:max_length] or "item"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
