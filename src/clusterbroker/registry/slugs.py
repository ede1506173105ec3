from django.utils.text import slugify

# Fixed URL segments that stand where a slug goes (/organisations/new/, /events/new/,
# /plans/roadmaps/ …): a record with one of these slugs would have pages nobody can reach.
RESERVED_SLUGS = frozenset(
    {"new", "edit", "delete", "import", "export", "history", "search", "roadmaps", "api", "admin"}
)


def unique_slug(model, text: str, max_length: int = 100) -> str:
    """A slug for `text` not yet used by `model` nor reserved: `name`, `name-2`, `name-3` …"""
    base = slugify(text)[:max_length] or "item"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
