"""Hypothesis strategies shared by the tests."""

from __future__ import annotations

from hypothesis import strategies as st

# Letters from several scripts, with accents, fullwidth forms and look-alikes,
# so that generated identifiers reach the interesting paths.
_LETTERS = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    + list("éüçñøåßłžÉÜÇÑØÅŁŽ")
    + list("абвгдеёжзийклмнопрстуфхцчшщыэюяАБВГДЕЁЖ")
    + list("αβγδεζηθικλμνξοπρστυφχψωΑΒΓΔΕ")
    + list("ｊｏｈｎＪＯＨＮ")
    + list("北京東김민준محمد")
)
_WORD = st.text(_LETTERS, min_size=1, max_size=12)
_NOISE = st.sampled_from(["", "\u200b", "\u00ad", "\u202e", " ", "\u3000", "\ufeff"])
_DOMAIN_LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True) | st.text(
    st.sampled_from(list("bücherпримерñ")), min_size=1, max_size=8
)
_DOMAIN = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(_DOMAIN_LABEL, min_size=1, max_size=3),
    st.sampled_from(["com", "org", "de", "social", "рф", "COM"]),
)

names = st.builds(
    lambda words, noise, comma: (
        noise.join(words) if not comma else f"{words[-1]}, {' '.join(words[:-1])}"
    ),
    st.lists(_WORD, min_size=1, max_size=4),
    _NOISE,
    st.booleans(),
) | st.builds(lambda h, n: f"{h} {n}", st.sampled_from(["Dr.", "Prof.", "Ms", "Mx."]), _WORD)

emails = st.builds(
    lambda local, tag, domain: f"{local}{tag}@{domain}",
    st.from_regex(r"[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+){0,3}", fullmatch=True)
    | st.text(_LETTERS, min_size=1, max_size=10),
    st.sampled_from(["", "+tag", "+a.b"]),
    _DOMAIN | st.sampled_from(["gmail.com", "GoogleMail.com", "googlemail.com"]),
)

github = st.builds(
    lambda prefix, user: prefix + user,
    st.sampled_from(["", "@", "https://github.com/", "github.com/", "http://www.github.com/"]),
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9-]{0,20}", fullmatch=True),
)

twitter = st.builds(
    lambda prefix, user: prefix + user,
    st.sampled_from(["", "@", "https://x.com/", "x.com/", "https://twitter.com/"]),
    st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True),
)

mastodon = st.builds(
    lambda user, host, form: form.format(user=user, host=host),
    st.from_regex(r"[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)?", fullmatch=True),
    _DOMAIN,
    st.sampled_from(["{user}@{host}", "@{user}@{host}", "https://{host}/@{user}"]),
)

PLAUSIBLE = {
    "name": names,
    "email": emails,
    "github": github,
    "twitter": twitter,
    "mastodon": mastodon,
}


@st.composite
def identifiers(draw: st.DrawFn) -> tuple[str, str]:
    """A (kind, value) pair: mostly plausible for the kind, sometimes any text."""
    kind = draw(st.sampled_from(sorted(PLAUSIBLE)))
    value = draw(PLAUSIBLE[kind] | st.text(max_size=80))
    return kind, value
